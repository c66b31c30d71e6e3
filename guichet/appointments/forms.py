"""The forms of appointments: the person's booking (public site and back office), slots and closures."""
from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, RadioField, SelectField, StringField, TimeField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from guichet.demarches.definitions import FRENCH_PHONE_PATTERN
from guichet.web.input import Form, email_address

PHONE_MESSAGE = _l("Écrivez un numéro de téléphone français de 10 chiffres, par exemple 06 12 34 56 78.")
WEEKDAYS = [(0, _l("Lundi")), (1, _l("Mardi")), (2, _l("Mercredi")), (3, _l("Jeudi")), (4, _l("Vendredi")),
            (5, _l("Samedi")), (6, _l("Dimanche"))]


def phone_field(label, description=None, required=True) -> StringField:
    """A French phone number, checked as démarches check theirs."""
    return StringField(label, description=description, validators=[
        DataRequired(message=_l("Écrivez votre numéro de téléphone.")) if required else Optional(),
        Length(max=30, message=PHONE_MESSAGE), Regexp(rf"^\s*{FRENCH_PHONE_PATTERN}\s*$", message=PHONE_MESSAGE)])


class TimeChoiceForm(Form):
    """The time of a day: the choices are the free times, set by the view; the service checks the slot itself,
    so a time taken a second ago gets its own message, not "not a valid choice"."""

    heure = RadioField(_l("À quelle heure ?"), validate_choice=False,
                       validators=[DataRequired(message=_l("Choisissez une heure."))])

    def validate_heure(self, field) -> None:
        value = field.data or ""
        if len(value) != 5 or value[2] != ":" or not (value[:2] + value[3:]).isdigit():
            raise ValidationError(_l("Cette heure n'existe pas. Choisissez une heure dans la liste."))


class BookingForm(TimeChoiceForm):
    nom = StringField(_l("Votre nom et votre prénom"), validators=[
        DataRequired(message=_l("Écrivez votre nom et votre prénom.")),
        Length(max=200, message=_l("Votre nom est trop long : 200 caractères au maximum."))])
    telephone = phone_field(_l("Votre numéro de téléphone"),
                            _l("Le service vous appelle seulement en cas de changement."))
    email = StringField(_l("Votre adresse e-mail (facultatif)"),
                        description=_l("Pour recevoir la confirmation, un rappel la veille et le lien pour annuler."),
                        validators=[Optional(), Length(max=254, message=_l("Votre adresse e-mail est trop longue.")),
                                    email_address])
    objet = StringField(_l("Pour quelle démarche ? (facultatif)"),
                        description=_l("Par exemple : carte d'identité."),
                        validators=[Optional(), Length(max=300, message=_l("Ce texte est trop long : 300 caractères "
                                                                           "au maximum."))])


class OpeningForm(Form):
    weekday = SelectField(_l("Jour de la semaine"), choices=WEEKDAYS, coerce=int,
                          validators=[InputRequired(message=_l("Choisissez un jour."))])
    opens = TimeField(_l("Début (heure)"), description=_l("Par exemple 09:00."),
                      validators=[InputRequired(message=_l("Écrivez l'heure de début, par exemple 09:00."))])
    closes = TimeField(_l("Fin (heure)"), description=_l("Par exemple 12:00."),
                       validators=[InputRequired(message=_l("Écrivez l'heure de fin, par exemple 12:00."))])
    slot_minutes = IntegerField(_l("Durée d'un rendez-vous (minutes)"), validators=[
        InputRequired(message=_l("Écrivez la durée en minutes.")),
        NumberRange(min=5, max=240, message=_l("La durée va de 5 à 240 minutes."))])
    desks = IntegerField(_l("Nombre de guichets"), validators=[
        InputRequired(message=_l("Écrivez le nombre de guichets.")),
        NumberRange(min=1, max=20, message=_l("Le nombre de guichets va de 1 à 20."))])

    def validate_closes(self, field) -> None:
        if self.opens.data and field.data and field.data <= self.opens.data:
            raise ValidationError(_l("L'heure de fin doit être après l'heure de début."))


class ClosureForm(Form):
    day = DateField(_l("Jour de fermeture"), format=["%Y-%m-%d", "%d/%m/%Y"],
                    description=_l("Par exemple 24/12/2026."),
                    validators=[InputRequired(message=_l("Écrivez une date, par exemple 24/12/2026."))])
    reason = StringField(_l("Raison"), description=_l("Par exemple : formation de l'équipe."), validators=[
        DataRequired(message=_l("Écrivez la raison de la fermeture.")),
        Length(max=200, message=_l("Ce texte est trop long : 200 caractères au maximum."))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="fermeture", **kwargs)


class AttendanceForm(Form):
    presence = RadioField(_l("La personne est-elle venue ?"),
                          choices=[("venu", _l("Venu")), ("absent", _l("Pas venu"))],
                          validators=[DataRequired(message=_l("Choisissez Venu ou Pas venu."))])
