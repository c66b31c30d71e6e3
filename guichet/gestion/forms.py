"""Every back-office form, in one place."""
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (BooleanField, DateField, IntegerField, PasswordField, RadioField, SelectField, SelectMultipleField,
                     StringField, TextAreaField)
from wtforms import Form as PlainForm
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from guichet.feedback.reports import PRIVATE_REPLY_MAX, PUBLIC_ANSWER_MAX, REPORT_CATEGORIES, REPORT_STATUSES
from guichet.requests.deadlines import MAX_MISSING_DOCUMENTS_DAYS
from guichet.requests.queue import DEFAULT_TAB, QueueFilters
from guichet.requests.workflow import NOTE_MAX
from guichet.web.input import Form, email_address

MAX_OTHER_ITEMS = 10


class SignInForm(Form):
    email = StringField(_l("Adresse e-mail professionnelle"),
                        validators=[DataRequired(message=_l("Écrivez votre adresse e-mail.")),
                                    Length(max=254, message=_l("Cette adresse est trop longue.")), email_address])
    password = PasswordField(_l("Mot de passe"), validators=[
        DataRequired(message=_l("Écrivez votre mot de passe.")),
        Length(max=200, message=_l("Ce mot de passe est trop long."))])


class CodeForm(Form):
    code = StringField(_l("Code à 6 chiffres"),
                       description=_l("Le code affiché par votre application d'authentification. "
                                      "Vous pouvez aussi écrire un code de secours."),
                       validators=[DataRequired(message=_l("Écrivez le code.")),
                                   Length(max=20, message=_l("Ce code est trop long."))])


class EnrolForm(Form):
    code = StringField(_l("Code à 6 chiffres affiché par l'application"),
                       validators=[DataRequired(message=_l("Écrivez le code affiché par l'application.")),
                                   Length(max=20, message=_l("Ce code est trop long."))])


class ResetRequestForm(Form):
    email = StringField(_l("Adresse e-mail professionnelle"),
                        validators=[DataRequired(message=_l("Écrivez votre adresse e-mail.")),
                                    Length(max=254, message=_l("Cette adresse est trop longue.")), email_address])


class NewPasswordForm(Form):
    password = PasswordField(_l("Nouveau mot de passe"),
                             description=_l("Au moins 12 caractères. Une phrase de quelques mots convient."),
                             validators=[DataRequired(message=_l("Écrivez un mot de passe.")),
                                         Length(max=200, message=_l("Ce mot de passe est trop long."))])
    confirmation = PasswordField(_l("Le même mot de passe, une deuxième fois"),
                                 validators=[DataRequired(message=_l("Écrivez le mot de passe une deuxième fois."))])

    def validate(self, extra_validators=None) -> bool:
        from guichet.staff.passwords import password_problem
        valid = super().validate(extra_validators)
        if valid and (problem := password_problem(self.password.data)):
            self.password.errors = [problem]
            return False
        if valid and self.password.data != self.confirmation.data:
            self.confirmation.errors = [_l("Les deux mots de passe sont différents.")]
            return False
        return valid


class DateRangeFilters(Form):
    """A GET filter form (no token: it changes nothing) with a `depuis`–`jusqu_au` date range."""

    class Meta:
        csrf = False

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in (self.depuis, self.jusqu_au):
            if field.raw_data and field.raw_data[0] and field.errors:
                field.errors = [_l("Écrivez une date complète, par exemple 2026-12-31.")]
        if valid and self.depuis.data and self.jusqu_au.data and self.depuis.data > self.jusqu_au.data:
            self.jusqu_au.errors = [_l("Cette date doit être après la première.")]
            return False
        return valid


class ReportFiltersForm(DateRangeFilters):
    """The filters of /gestion/signalements."""

    statut = SelectField(_l("Statut"), choices=[("", _l("Tous"))] + [(status, status) for status in REPORT_STATUSES],
                         validators=[Optional()])
    categorie = SelectField(_l("Type de difficulté"), validators=[Optional()],
                            choices=[("", _l("Tous"))] + list(REPORT_CATEGORIES.items()))
    page = StringField(_l("Adresse de la page contient"), validators=[Optional(), Length(max=300, message=_l(
        "Écrivez 300 caractères au plus."))])
    depuis = DateField(_l("Reçus depuis le"), validators=[Optional()], format="%Y-%m-%d")
    jusqu_au = DateField(_l("Reçus jusqu'au"), validators=[Optional()], format="%Y-%m-%d")


class ReportAnswerForm(Form):
    status = SelectField(_l("Statut"), choices=[(status, status) for status in REPORT_STATUSES])
    public_answer = TextAreaField(
        _l("Réponse publique (facultatif)"),
        description=_l("Publiée sur la page « Vos signalements et nos réponses » quand le statut est « traité ». "
                       "N'y écrivez rien de personnel."),
        validators=[Optional(), Length(max=PUBLIC_ANSWER_MAX, message=_l("2 000 caractères au maximum."))])


class ReportReplyForm(Form):
    text = TextAreaField(_l("Réponse par e-mail à la personne"),
                         validators=[DataRequired(message=_l("Écrivez votre réponse.")),
                                     Length(max=PRIVATE_REPLY_MAX, message=_l("5 000 caractères au maximum."))])


MESSAGE_MAX_LENGTH = 5000
NOTE_MAX_LENGTH = 2000


class MessageForm(Form):
    body = TextAreaField(_l("Votre message au demandeur"),
                         description=_l("5 000 caractères au maximum. Il est envoyé par e-mail et affiché sur "
                                        "la page de suivi de la demande."),
                         validators=[DataRequired(message=_l("Écrivez le message.")),
                                     Length(max=MESSAGE_MAX_LENGTH,
                                            message=_l("Ce message est trop long : 5 000 caractères au maximum."))])


class NoteForm(Form):
    text = TextAreaField(_l("Note interne"),
                         description=_l("Visible seulement par les agents, jamais par le demandeur. "
                                        "2 000 caractères au maximum."),
                         validators=[DataRequired(message=_l("Écrivez la note.")),
                                     Length(max=NOTE_MAX_LENGTH,
                                            message=_l("Cette note est trop longue : 2 000 caractères au maximum."))])


class ReplyTemplateForm(Form):
    """Pick a reply template: a plain GET form (it changes nothing), the choices come from the request."""

    class Meta:
        csrf = False

    modele = SelectField(_l("Modèle de réponse"), validate_choice=False)
# --- The queue ------------------------------------------------------------------------------------------

MAX_DAYS = 3650
MAX_PAGE = 100_000


def _one_of_choices(message):
    """Like WTForms' own choice check, with a French message: the choices depend on the person."""
    def check(form, field):
        if field.data and field.data not in {value for value, _label in field.choices}:
            raise ValidationError(message)
    return check


def _whole_number(minimum: int, maximum: int, message):
    def check(form, field):
        text = (field.data or "").strip()
        if text and not (text.isascii() and text.isdigit() and len(text) <= 9 and minimum <= int(text) <= maximum):
            raise ValidationError(message)
    return check


MIN_DAY, MAX_DAY = date(2000, 1, 1), date(2100, 12, 31)


def parse_day(text: str) -> date:
    """2026-01-31 (what a date field sends) or 31/01/2026 (what a person types without one); ValueError otherwise."""
    text = text.strip()
    if "/" in text:
        day, month, year = text.split("/")
        return date(int(year), int(month), int(day))
    return date.fromisoformat(text)


def _day(form, field):
    text = (field.data or "").strip()
    if not text:
        return
    try:
        day = parse_day(text) if text.isascii() and len(text) <= 10 else None
    except ValueError:
        day = None
    if day is None:
        raise ValidationError(_l("Écrivez une date qui existe, par exemple 31/01/2026."))
    if not MIN_DAY <= day <= MAX_DAY:
        raise ValidationError(_l("Écrivez une date entre 2000 et 2100."))


class QueueFilterForm(PlainForm):
    """The queue's filters, read from the URL (GET: no CSRF token; nothing changes). Choices are set per person."""

    onglet = SelectField(_l("Onglet"), validate_choice=False,
                         validators=[_one_of_choices(_l("Cet onglet n'existe pas."))])
    statut = SelectField(_l("Statut"), validate_choice=False,
                         validators=[_one_of_choices(_l("Ce statut n'existe pas. Choisissez-en un dans la liste."))])
    demarche = SelectField(_l("Démarche"), validate_choice=False,
                           validators=[_one_of_choices(_l("Cette démarche n'existe pas. "
                                                          "Choisissez-en une dans la liste."))])
    service = SelectField(_l("Service"), validate_choice=False,
                          validators=[_one_of_choices(_l("Ce service n'existe pas ou vous n'y travaillez pas."))])
    responsable = SelectField(_l("Suivie par"), validate_choice=False,
                              validators=[_one_of_choices(_l("Cette personne ne travaille pas dans vos services."))])
    canal = SelectField(_l("Reçue par"), validate_choice=False,
                        validators=[_one_of_choices(_l("Ce canal n'existe pas. Choisissez-en un dans la liste."))])
    echeance = StringField(_l("Échéance légale dans les … jours"),
                           description=_l("Un nombre de jours, de 0 à 3650. Les échéances dépassées sont comprises."),
                           validators=[_whole_number(0, MAX_DAYS, _l("Écrivez un nombre de jours entre 0 et 3650."))])
    recue_du = StringField(_l("Reçue à partir du"), validators=[_day])
    recue_au = StringField(_l("Reçue jusqu'au"), validators=[_day])
    texte = StringField(_l("Référence, nom ou adresse e-mail"),
                        validators=[Length(max=200, message=_l("Écrivez 200 caractères au plus."))])
    page = StringField(_l("Page"), validators=[_whole_number(1, MAX_PAGE, _l("Cette page n'existe pas."))])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if valid and (self.recue_du.data or "").strip() and (self.recue_au.data or "").strip() \
                and parse_day(self.recue_du.data) > parse_day(self.recue_au.data):
            self.recue_au.errors = [_l("La date de fin doit être après la date de début.")]
            return False
        return valid

    def filters(self) -> QueueFilters:
        """The validated values (call after `validate()`)."""
        def text(field):
            return (field.data or "").strip() or None

        def day(field):
            return parse_day(field.data) if text(field) else None
        return QueueFilters(tab=text(self.onglet) or DEFAULT_TAB, status=text(self.statut),
                            demarche=text(self.demarche), service=text(self.service), owner=text(self.responsable),
                            channel=text(self.canal),
                            due_within=int(self.echeance.data) if text(self.echeance) else None,
                            received_from=day(self.recue_du), received_to=day(self.recue_au),
                            text=text(self.texte))

    def page_number(self) -> int:
        return int(self.page.data) if (self.page.data or "").strip() else 1


class AssignForm(Form):
    """Take or give requests: the checked ones, or the one whose button was pressed."""

    demandes = SelectMultipleField(_l("Demandes"), choices=[], validate_choice=False)
    seule = StringField()
    agent = SelectField(_l("Attribuer à"), validate_choice=False)
    retour = StringField()


class TransitionForm(Form):
    """One workflow action; prefixed by the action's key, so several can sit on the request page."""

    note = TextAreaField(_l("Message pour le demandeur"),
                         validators=[Length(max=NOTE_MAX, message=_l("Le message est trop long : 4 000 caractères "
                                                                     "au maximum."))])


class MissingDocumentsForm(Form):
    """Art. 8 of decree 2015-1404: which documents are missing, and until when the person can send them."""

    items = SelectMultipleField(_l("Documents de la démarche"), choices=[], validate_choice=False,
                                description=_l("Cochez chaque document qui manque."))
    other = TextAreaField(_l("Autres documents ou informations (facultatif)"),
                          description=_l("Un document par ligne, 200 caractères au maximum chacun. "
                                         "Par exemple : Justificatif de domicile de moins de 3 mois."),
                          validators=[Length(max=2000, message=_l("Ce texte est trop long : 2 000 caractères "
                                                                  "au maximum."))])
    deadline = DateField(_l("Date limite pour les envoyer"), format=["%Y-%m-%d", "%d/%m/%Y"],
                         invalid_value_message=_l("Cette date n'existe pas. Écrivez-la comme 15/03/2026."),
                         description=_l("Par exemple : 15/03/2026. Si elle tombe un samedi, un dimanche ou un jour "
                                        "férié, elle est reportée au jour ouvré suivant."),
                         validators=[InputRequired(message=_l("Écrivez la date limite, par exemple 15/03/2026."))])
    note = TextAreaField(_l("Message pour le demandeur (facultatif)"),
                         validators=[Length(max=NOTE_MAX, message=_l("Le message est trop long : 4 000 caractères "
                                                                     "au maximum."))])

    def __init__(self, *args, item_choices: list[tuple[str, str]], today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.items.choices = item_choices
        self.today = today

    def other_items(self) -> list[str]:
        return [line.strip() for line in (self.other.data or "").splitlines() if line.strip()]

    def validate_deadline(self, field) -> None:
        if field.data is None:  # not a date: its own message is already there
            return
        if field.data <= self.today:
            raise ValidationError(_l("La date limite doit être après aujourd'hui."))
        if (field.data - self.today).days > MAX_MISSING_DOCUMENTS_DAYS:
            raise ValidationError(_l("La date limite doit être dans moins de 6 mois."))

    def validate_other(self, _field) -> None:
        lines = self.other_items()
        if any(len(line) > 200 for line in lines):
            raise ValidationError(_l("Chaque document doit tenir en 200 caractères au maximum."))
        if len(lines) > MAX_OTHER_ITEMS:
            raise ValidationError(_l("Écrivez 10 documents au maximum."))

    def validate_items(self, field) -> None:
        if set(field.data or ()) - {key for key, _label in field.choices}:
            raise ValidationError(_l("Un document coché ne fait pas partie de la liste. Rechargez la page."))
        if not field.data and not self.other_items():
            raise ValidationError(_l("Cochez au moins un document, ou écrivez-le dans « Autres documents »."))
class JournalFiltersForm(DateRangeFilters):
    """The filters of /gestion/journal; the actions offered are those the journal holds."""

    action = SelectField(_l("Action"), choices=[("", _l("Toutes"))], validators=[Optional()])
    acteur = StringField(_l("Qui (adresse ou mot contenu)"), validators=[Optional(), Length(
        max=254, message=_l("Écrivez 254 caractères au plus."))])
    cible_type = StringField(_l("Type de cible (par exemple request, personne, staff)"), validators=[
        Optional(), Length(max=40, message=_l("Écrivez 40 caractères au plus."))])
    cible = StringField(_l("Numéro ou référence de la cible"), validators=[Optional(), Length(
        max=60, message=_l("Écrivez 60 caractères au plus."))])
    depuis = DateField(_l("Depuis le"), validators=[Optional()], format="%Y-%m-%d")
    jusqu_au = DateField(_l("Jusqu'au"), validators=[Optional()], format="%Y-%m-%d")
    page = IntegerField(_l("Page"), validators=[Optional(), NumberRange(
        min=1, max=1_000_000, message=_l("Ce numéro de page n'existe pas."))])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.page.raw_data and self.page.raw_data[0] and self.page.errors:
            self.page.errors = [_l("Ce numéro de page n'existe pas.")]
        return valid


class PersonSearchForm(Form):
    """Search people by name, email or phone: a GET form."""

    class Meta:
        csrf = False

    q = StringField(_l("Nom, adresse e-mail ou numéro de téléphone"), validators=[
        DataRequired(message=_l("Écrivez un nom, une adresse e-mail ou un numéro de téléphone.")),
        Length(min=2, max=200, message=_l("Écrivez entre 2 et 200 caractères."))])


class AttachRequestForm(Form):
    reference = StringField(_l("Référence de la demande à rattacher"),
                            description=_l("Par exemple ADM-2026-000123."),
                            validators=[DataRequired(message=_l("Écrivez la référence de la demande.")),
                                        Length(max=20, message=_l("Une référence a 15 caractères."))])


class DetachRequestForm(Form):
    """Only the CSRF token: the request is in the address."""


class ErasureForm(Form):
    confirmation = BooleanField(_l("Je confirme : toutes les données de cette personne seront supprimées, "
                                   "sans retour possible."),
                                validators=[DataRequired(message=_l("Cochez la case pour confirmer."))])


class AttestationForm(Form):
    """Only the CSRF token: the request is in the address (CRPA L232-3 attestation)."""


# --- Alerts ----------------------------------------------------------------------------------------------

NEW_REQUEST_LABELS = {"immediate": _l("Un e-mail à chaque nouvelle demande"),
                      "daily": _l("Un résumé par jour, avec les demandes de la veille"),
                      "none": _l("Aucun e-mail")}


def alert_preferences_form(services: dict[str, str], formdata=None, data: dict | None = None) -> Form:
    """One radio group (new requests) and one checkbox (implicit decisions coming) per service of the member.

    `services`: key → name; field names are `nouvelles-<key>` and `echeances-<key>`."""
    class AlertPreferencesForm(Form):
        pass

    for key, name in services.items():
        setattr(AlertPreferencesForm, f"nouvelles-{key}", RadioField(
            _l("Nouvelles demandes : %(service)s", service=name), validate_choice=False,
            choices=list(NEW_REQUEST_LABELS.items()),
            validators=[InputRequired(message=_l("Choisissez comment être prévenu des nouvelles demandes.")),
                        _one_of_choices(_l("Ce choix n'existe pas. Choisissez-en un dans la liste."))]))
        setattr(AlertPreferencesForm, f"echeances-{key}", BooleanField(
            _l("Recevoir chaque jour la liste des demandes sans responsable dont la décision implicite arrive "
               "dans les 7 jours : %(service)s", service=name)))
    return AlertPreferencesForm(formdata=formdata, data=data)


# --- Requests received by other channels ----------------------------------------------------------------

RESUME_CODE = "code"


class CounterForm(Form):
    """Register a request received by phone, at the counter, by post or by email (the agent types it through the
    démarche's own pages), or open a draft the person finishes online with a resume code."""

    demarche = SelectField(_l("Démarche"), validate_choice=False,
                           validators=[InputRequired(message=_l("Choisissez la démarche.")),
                                       _one_of_choices(_l("Cette démarche n'existe pas ou n'est pas de vos services."))])
    canal = RadioField(_l("Comment la demande arrive-t-elle ?"), validate_choice=False,
                       validators=[InputRequired(message=_l("Choisissez comment la demande arrive.")),
                                   _one_of_choices(_l("Ce choix n'existe pas. Choisissez-en un dans la liste."))])

    def __init__(self, *args, demarches: list[tuple[str, str]], channels: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.demarche.choices = [("", _l("Choisissez une démarche"))] + demarches
        self.canal.choices = channels + [(RESUME_CODE, _l("Le demandeur la remplira lui-même en ligne : "
                                                           "lui donner un code de reprise"))]


class EmptyForm(Form):
    """Only the CSRF token: for buttons that change something (remove an opening, a closure)."""


class CallbackOutcomeForm(Form):
    outcome = RadioField(_l("Résultat de l'appel"), choices=[("fait", _l("Fait : la personne a eu sa réponse")),
                                                              ("injoignable", _l("Pas joint : à rappeler"))],
                         validators=[DataRequired(message=_l("Choisissez le résultat de l'appel."))])
    note = TextAreaField(_l("Note (facultatif)"), description=_l("Ce que vous avez dit ou ce qu'il reste à faire. "
                                                                 "La personne ne la voit pas."),
                         validators=[Optional(), Length(max=NOTE_MAX, message=_l(
                             "Cette note est trop longue : 4 000 caractères au maximum."))])


class IndicatorFiltersForm(DateRangeFilters):
    """The filters of /gestion/indicateurs: a period, a démarche (its funnel), a channel."""

    depuis = DateField(_l("Du"), validators=[Optional()], format="%Y-%m-%d")
    jusqu_au = DateField(_l("Au"), validators=[Optional()], format="%Y-%m-%d")
    demarche = SelectField(_l("Démarche"), choices=[], validators=[Optional()])
    canal = SelectField(_l("Canal"), choices=[], validators=[Optional()])


class SatisfactionCardForm(Form):
    """An agent prints a card with a short link and a QR code for a person served at the desk or by phone."""

    canal = SelectField(_l("Vous avez reçu la personne"), choices=[],
                        validators=[DataRequired(message=_l("Choisissez le canal."))])
    demarche = SelectField(_l("Pour quelle démarche ? (facultatif)"), choices=[], validators=[Optional()])


# --- Contents (fiches) ------------------------------------------------------------------------------

FICHE_TEXT_MAX = 60_000


def _fiche_text(label, description=None, required: str | None = None, max_length: int = 2000, **kwargs):
    validators = [Length(max=max_length, message=_l("Ce texte est trop long."))]
    if required:
        validators.insert(0, DataRequired(message=required))
    return kwargs.pop("kind", StringField)(label, description=description, validators=validators, **kwargs)


class FicheForm(Form):
    """A fiche's header and body; `lock` is the edition's lock when the form was opened."""

    lock = IntegerField(validators=[InputRequired(), NumberRange(min=0)])
    title = _fiche_text(_l("Titre"), required=_l("Écrivez le titre de la fiche."), max_length=120)
    summary = _fiche_text(_l("En bref"), _l("1 à 3 phrases courtes."), _l("Écrivez le texte « En bref »."),
                          max_length=400, kind=TextAreaField)
    life_events = _fiche_text(_l("Événements de vie"), _l("Des identifiants séparés par des virgules, "
                                                          "par exemple : naissance, demenagement."))
    audience = _fiche_text(_l("Publics"), _l("Séparés par des virgules : particulier, famille, jeune, senior, "
                                             "handicap, professionnel, association."))
    owner_service = SelectField(_l("Service responsable"), validate_choice=False)
    sources = _fiche_text(_l("Sources"), _l("Une source par ligne : titre | https://…"),
                          _l("Écrivez au moins une source."), max_length=4000, kind=TextAreaField)
    verified = _fiche_text(_l("Date de vérification"), _l("Au format AAAA-MM-JJ, par exemple 2026-12-01."),
                           _l("Écrivez la date de vérification."), max_length=10)
    related_fiches = _fiche_text(_l("Fiches liées"), _l("Des identifiants de fiches, séparés par des virgules."))
    related_demarches = _fiche_text(_l("Démarches liées"),
                                    _l("Des identifiants de démarches, séparés par des virgules."))
    keywords = _fiche_text(_l("Mots-clés pour la recherche"), _l("Séparés par des virgules."))
    images = _fiche_text(_l("Images"), _l("Une image par ligne : fichier.svg | ce que montre l'image, "
                                          "ou fichier.svg | décorative."),
                         _l("Indiquez au moins une image."), kind=TextAreaField)
    body = _fiche_text(_l("Texte de la fiche (Markdown)"),
                       _l("Les sections commencent par « ## » et suivent l'ordre prévu."),
                       _l("Écrivez le texte de la fiche."), max_length=FICHE_TEXT_MAX, kind=TextAreaField)
    note = _fiche_text(_l("Ce que vous avez changé (facultatif)"), max_length=300)


class FicheImageForm(Form):
    lock = IntegerField(validators=[InputRequired(), NumberRange(min=0)])
    file = FileField(_l("Image (SVG ou PNG, 15 Ko au plus)"),
                     description=_l("Le nom du fichier devient son nom sur le site : lettres minuscules sans accent, "
                                    "chiffres et tirets, par exemple carte-identite.svg."))
    alt = StringField(_l("Ce que montre l'image"), description=_l("Une phrase courte, pour les personnes qui ne voient "
                                                                  "pas l'image."),
                      validators=[Length(max=200, message=_l("Ce texte est trop long."))])
    decorative = BooleanField(_l("Image décorative : elle n'apporte aucune information"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not self.file.data or not getattr(self.file.data, "filename", ""):
            self.file.errors = [*self.file.errors, _l("Choisissez un fichier.")]
            valid = False
        if not self.decorative.data and not (self.alt.data or "").strip():
            self.alt.errors = [*self.alt.errors, _l("Décrivez l'image, ou cochez « Image décorative ».")]
            valid = False
        return valid


class NewFicheForm(Form):
    slug = StringField(_l("Identifiant de la fiche"),
                       description=_l("Il forme l'adresse de la page : lettres minuscules sans accent, chiffres "
                                      "et tirets, par exemple carte-identite."),
                       validators=[DataRequired(message=_l("Écrivez l'identifiant de la fiche.")),
                                   Length(max=80, message=_l("Cet identifiant est trop long."))])


class FicheActionForm(Form):
    lock = IntegerField(validators=[InputRequired(), NumberRange(min=0)])
    text = TextAreaField(_l("Remarques ou raison"),
                         validators=[Length(max=2000, message=_l("Ce texte est trop long."))])


class ArchiveFicheForm(Form):
    lock = IntegerField(validators=[InputRequired(), NumberRange(min=0)])
    replacement = SelectField(_l("Fiche qui la remplace"), validate_choice=False,
                              description=_l("Son adresse renverra vers cette fiche. Sans remplacement, la page "
                                             "dira qu'elle n'existe plus et proposera ses événements de vie."))
    reason = TextAreaField(_l("Pourquoi archiver cette fiche ?"),
                           validators=[DataRequired(message=_l("Écrivez pourquoi vous archivez cette fiche.")),
                                       Length(max=2000, message=_l("Ce texte est trop long."))])


class ContentFiltersForm(PlainForm):
    etat = SelectField(_l("État"), validate_choice=False)
    service = SelectField(_l("Service"), validate_choice=False)
    a_revoir = BooleanField(_l("Seulement les fiches à revoir"))
    tri = SelectField(_l("Trier par"), validate_choice=False)
