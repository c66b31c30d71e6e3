"""Every back-office form, in one place."""
from flask_babel import lazy_gettext as _l
from wtforms import DateField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from guichet.citizen.forms import email_address
from guichet.feedback.reports import PRIVATE_REPLY_MAX, PUBLIC_ANSWER_MAX, REPORT_CATEGORIES, REPORT_STATUSES
from guichet.web.input import Form


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


class ReportFiltersForm(Form):
    """The filters of /gestion/signalements: a GET form (no token: it changes nothing)."""

    class Meta:
        csrf = False

    statut = SelectField(_l("Statut"), choices=[("", _l("Tous"))] + [(status, status) for status in REPORT_STATUSES],
                         validators=[Optional()])
    categorie = SelectField(_l("Type de difficulté"), validators=[Optional()],
                            choices=[("", _l("Tous"))] + list(REPORT_CATEGORIES.items()))
    page = StringField(_l("Adresse de la page contient"), validators=[Optional(), Length(max=300, message=_l(
        "Écrivez 300 caractères au plus."))])
    depuis = DateField(_l("Reçus depuis le"), validators=[Optional()], format="%Y-%m-%d")
    jusqu_au = DateField(_l("Reçus jusqu'au"), validators=[Optional()], format="%Y-%m-%d")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in (self.depuis, self.jusqu_au):
            if field.raw_data and field.raw_data[0] and field.errors:
                field.errors = [_l("Écrivez une date complète, par exemple 2026-12-31.")]
        if valid and self.depuis.data and self.jusqu_au.data and self.depuis.data > self.jusqu_au.data:
            self.jusqu_au.errors = [_l("Cette date doit être après la première.")]
            return False
        return valid


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
