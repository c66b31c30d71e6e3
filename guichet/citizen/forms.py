"""Every citizen-facing form of the content site, in one place (démarche forms are built by the engine)."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, FileField, HiddenField, MultipleFileField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from guichet.feedback.reports import REPORT_CATEGORIES
from guichet.web.input import Form, email_address
from guichet.web.local_paths import is_local_path

REPORT_TEXT_MAX = 1000


def is_local_page(value: str | None) -> bool:
    return is_local_path(value)


def local_page(_form, field) -> None:
    """The page a report or vote is about: a local path, never a query string or another site."""
    if not is_local_page(field.data):
        raise ValidationError(_l("La page d'origine est inconnue. Revenez à la page et réessayez."))


class ReportForm(Form):
    """"Signaler une difficulté": a separate form, so a démarche step's answers are never touched."""

    def __init__(self, *args, **kwargs):
        # One widget per page: names and ids are prefixed so they never clash with the page's own fields.
        super().__init__(*args, prefix="signalement", **kwargs)

    page = HiddenField(validators=[local_page])
    category = RadioField(
        _l("Quelle difficulté rencontrez-vous ?"),
        choices=list(REPORT_CATEGORIES.items()),
        validators=[DataRequired(message=_l("Choisissez le type de difficulté."))],
    )
    text = TextAreaField(
        _l("Décrivez la difficulté (facultatif)"),
        description=_l("1 000 caractères au maximum. N'écrivez pas d'informations personnelles : "
                       "nom, adresse, numéro de dossier ou de sécurité sociale."),
        validators=[Optional(), Length(max=REPORT_TEXT_MAX,
                                       message=_l("Votre texte est trop long : 1 000 caractères au maximum."))],
    )
    recontact = BooleanField(_l("Vous pouvez me recontacter"))
    email = StringField(
        _l("Votre adresse e-mail (facultatif)"),
        description=_l("Seulement si vous voulez une réponse."),
        validators=[Optional(), Length(max=254, message=_l("Votre adresse e-mail est trop longue.")), email_address],
    )

    def validate(self, extra_validators=None) -> bool:
        """An address becomes required once "Vous pouvez me recontacter" is ticked."""
        valid = super().validate(extra_validators)
        if self.recontact.data and not (self.email.data or "").strip():
            self.email.errors = [*self.email.errors,
                                 _l("Écrivez votre adresse e-mail pour que nous puissions vous recontacter.")]
            return False
        return valid


class FeedbackForm(Form):
    """"Cette page vous a-t-elle été utile ?"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="avis", **kwargs)

    page = HiddenField(validators=[local_page])
    useful = RadioField(_l("Cette page vous a-t-elle été utile ?"), choices=[("oui", _l("Oui")), ("non", _l("Non"))],
                        validators=[DataRequired(message=_l("Choisissez Oui ou Non."))])


def report_started(formdata) -> bool:
    """Whether the report's fields carry something (on a démarche step they travel with the step form)."""
    return any((formdata.get(f"signalement-{name}") or "").strip() for name in ("category", "text", "email", "recontact"))


class EmptyForm(Form):
    """A form with only its CSRF token, for buttons that change something (erase, remove)."""


class StartForm(Form):
    """Start a démarche; on a shared computer, idle time erases the answers to protect them."""

    shared = BooleanField(_l("Je suis sur un ordinateur partagé (bibliothèque, point d'accueil, cybercafé)"))


class DeclarationForm(Form):
    """The declaration the person ticks before sending; its label is the démarche's own text."""

    declaration = BooleanField("", validators=[DataRequired(
        message=_l("Cochez la case pour confirmer que vos réponses sont exactes."))])


class EmailLinkForm(Form):
    """Send the "reprendre plus tard" link by email."""

    email = StringField(_l("Votre adresse e-mail"), description=_l("Nous envoyons seulement le lien et le code."),
                        validators=[DataRequired(message=_l("Écrivez votre adresse e-mail.")),
                                    Length(max=254, message=_l("Votre adresse e-mail est trop longue.")),
                                    email_address])


class ResumeForm(Form):
    code = StringField(_l("Votre code de reprise"), description=_l("8 lettres et chiffres, par exemple KF4M-7TQA."),
                       validators=[DataRequired(message=_l("Écrivez votre code de reprise."))])


class DocumentForm(Form):
    """One missing document, sent on its own (prefixed by the item's key: one form per item on the page)."""

    document = FileField(_l("Choisissez le fichier"))


class TrackingForm(Form):
    reference = StringField(_l("Numéro de la demande"), description=_l("Par exemple ADM-2026-000123."),
                            validators=[DataRequired(message=_l("Écrivez le numéro de la demande."))])
    secret = StringField(_l("Code de suivi"),
                         description=_l("12 lettres et chiffres, écrits sur votre accusé de réception."),
                         validators=[DataRequired(message=_l("Écrivez le code de suivi."))])


REPLY_MAX = 5000


class ReplyForm(Form):
    """The person's answer to the service, from the tracking page; files are checked by the thread module."""

    body = TextAreaField(_l("Votre message"),
                         description=_l("5 000 caractères au maximum."),
                         validators=[DataRequired(message=_l("Écrivez votre message.")),
                                     Length(max=REPLY_MAX, message=_l("Votre message est trop long : "
                                                                      "5 000 caractères au maximum."))])
    fichiers = MultipleFileField(_l("Documents à joindre (facultatif)"))
