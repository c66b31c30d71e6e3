"""Every citizen-facing form of the content site, in one place (démarche forms are built by the engine)."""
import re

from flask_babel import lazy_gettext as _l
from wtforms import (BooleanField, FileField, HiddenField, MultipleFileField, RadioField, SelectMultipleField,
                     StringField, TextAreaField)
from wtforms.validators import AnyOf, DataRequired, Length, Optional, ValidationError

from guichet.appointments.forms import phone_field
from guichet.callbacks.service import CALLBACK_DAYS, CALLBACK_PERIODS
from guichet.feedback.reports import REPORT_CATEGORIES
from guichet.indicators import satisfaction
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


POSTAL_CODE_RE = re.compile(r"[0-9]{5}")


def postal_code(_form, field) -> None:
    """Five digits and nothing else (fullmatch: "$" would accept a final line break)."""
    if not POSTAL_CODE_RE.fullmatch((field.data or "").strip()):
        raise ValidationError(_l("Écrivez le code postal avec 5 chiffres, par exemple 99100."))


class PostalCodeForm(Form):
    """"Les lieux d'aide près de chez vous": a GET form that changes nothing, so it has no CSRF token."""

    class Meta:
        csrf = False

    code_postal = StringField(_l("Votre code postal"), description=_l("5 chiffres, par exemple 99100."),
                              validators=[DataRequired(message=_l("Écrivez votre code postal.")), postal_code])


CALLBACK_MESSAGE_MAX = 1000


class CallbackForm(Form):
    """"Être rappelé par un agent": its own page, reached by a plain link, so a démarche's answers stay put."""

    depuis = HiddenField(validators=[Optional(), local_page])
    nom = StringField(_l("Votre nom et votre prénom"), validators=[
        DataRequired(message=_l("Écrivez votre nom et votre prénom.")),
        Length(max=200, message=_l("Votre nom est trop long : 200 caractères au maximum."))])
    telephone = phone_field(_l("Le numéro où vous appeler"))
    jours = SelectMultipleField(_l("Quels jours pouvez-vous répondre ? (facultatif)"),
                                choices=list(CALLBACK_DAYS.items()),
                                description=_l("Sans réponse, nous appelons n'importe quel jour de la semaine."),
                                validate_choice=False)
    moments = SelectMultipleField(_l("À quel moment de la journée ? (facultatif)"),
                                  choices=list(CALLBACK_PERIODS.items()), validate_choice=False)
    objet = StringField(_l("C'est à quel sujet ?"), validators=[
        DataRequired(message=_l("Écrivez le sujet de votre appel.")),
        Length(max=300, message=_l("Ce texte est trop long : 300 caractères au maximum."))])
    message = TextAreaField(_l("Votre message (facultatif)"),
                            description=_l("1 000 caractères au maximum. "
                                           "Ne donnez pas de numéro de sécurité sociale."),
                            validators=[Optional(), Length(max=CALLBACK_MESSAGE_MAX, message=_l(
                                "Votre message est trop long : 1 000 caractères au maximum."))])
    email = StringField(_l("Votre adresse e-mail (facultatif)"),
                        description=_l("Pour recevoir une confirmation."),
                        validators=[Optional(), Length(max=254, message=_l("Votre adresse e-mail est trop longue.")),
                                    email_address])

    def validate_jours(self, field) -> None:
        if not set(field.data or ()) <= set(CALLBACK_DAYS):
            raise ValidationError(_l("Choisissez des jours dans la liste."))

    def validate_moments(self, field) -> None:
        if not set(field.data or ()) <= set(CALLBACK_PERIODS):
            raise ValidationError(_l("Choisissez des moments dans la liste."))


def helpers_alone(_form, field) -> None:
    """Only the offered helpers; and "Personne" cannot go with a helper: the answer would say two opposite things."""
    if any(value not in satisfaction.HELPERS for value in field.data or []):
        raise ValidationError(_l("Choisissez parmi les réponses proposées."))
    if "personne" in (field.data or []) and len(field.data) > 1:
        raise ValidationError(_l("Vous avez coché « Personne » et une autre réponse. Gardez l'une ou l'autre."))


class SatisfactionForm(Form):
    """"Je donne mon avis" after a démarche or a visit; prefixed so it never clashes with the page's forms."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="satisfaction", **kwargs)

    rating = RadioField(_l("Comment ça s'est passé ?"),
                        choices=[(str(value), label) for value, label in satisfaction.RATINGS.items()],
                        validate_choice=False,
                        validators=[DataRequired(message=_l("Choisissez comment ça s'est passé.")),
                                    AnyOf([str(value) for value in satisfaction.RATINGS],
                                          message=_l("Choisissez comment ça s'est passé."))])
    clarity = RadioField(_l("Les informations étaient-elles claires ?"), choices=list(satisfaction.CLARITY.items()),
                         validate_choice=False,
                         validators=[Optional(), AnyOf(list(satisfaction.CLARITY),
                                                       message=_l("Choisissez Oui, En partie ou Non."))])
    helpers = SelectMultipleField(_l("Avez-vous eu besoin d'aide ? De qui ?"),
                                  description=_l("Cochez toutes les réponses qui correspondent."),
                                  choices=list(satisfaction.HELPERS.items()), validate_choice=False,
                                  validators=[helpers_alone])
    comment = TextAreaField(
        _l("Voulez-vous nous dire autre chose ? (facultatif)"),
        description=_l("1 000 caractères au maximum. N'écrivez pas d'informations personnelles : "
                       "nom, adresse, numéro de dossier ou de sécurité sociale."),
        validators=[Optional(), Length(max=satisfaction.COMMENT_MAX,
                                       message=_l("Votre texte est trop long : 1 000 caractères au maximum."))])

    def opinion(self) -> satisfaction.Opinion:
        return satisfaction.Opinion(int(self.rating.data), self.clarity.data or None, tuple(self.helpers.data or ()),
                                    self.comment.data or "")
