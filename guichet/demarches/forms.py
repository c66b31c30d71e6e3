"""Flask-WTF forms built from a page definition, and the answers they produce.

Each question type maps to one WTForms field; validation follows the definition and speaks
plain French, naming what to do ("Écrivez votre nom") rather than what went wrong.
"""
import re
from datetime import date
from decimal import Decimal
from functools import cache

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, Field, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.utils import unset_value
from wtforms.validators import ValidationError

from guichet.demarches.definitions import DONT_KNOW, Page, Question
from guichet.web.input import EMAIL_RE, Form, printable

# Every pattern here is used with fullmatch: "$" would also accept a final newline.
POSTCODE_RE = re.compile(r"[0-9]{5}")
DAY_OR_MONTH_RE = re.compile(r"[0-9]{1,2}")
YEAR_RE = re.compile(r"[0-9]{4}")
MAX_DIGITS = 15
# A number as stored: "12", "-3", "2.5" (see _canonical).
STORED_NUMBER_RE = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
# A number as people write it in France: "12", "1 250" (spaces between thousands), "2,5" or "2.5".
NUMBER_RE = re.compile(r"(?P<sign>[-−])?(?P<units>[0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3})+|[0-9]+)"
                       r"(?:[.,](?P<decimals>[0-9]+))?")
DONT_KNOW_LABEL = "Je ne sais pas"


CHOICE_TYPES_WITH_DONT_KNOW = ("radios", "yesno", "select")


class CompoundField(Field):
    """One answer typed in several boxes (`<name>-<part>`), validated as a whole: a date, an address."""

    parts: tuple[str, ...] = ()

    def process(self, formdata, data=unset_value, extra_filters=None):
        self.process_errors = []
        if formdata is not None:
            self.data = {part: formdata.get(f"{self.name}-{part}", "") for part in self.parts}
        else:
            self.data = dict(data) if isinstance(data, dict) else {}

    def part_id(self, part: str) -> str:
        return f"{self.id}-{part}"


class DateField(CompoundField):
    parts = ("jour", "mois", "annee")


class AddressField(CompoundField):
    parts = ("ligne1", "ligne2", "code_postal", "commune")


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def _required_message(question: Question) -> str:
    if question.required_message:
        return question.required_message
    label = _lower_first(question.label.rstrip(" ?"))
    if question.type in ("radios", "yesno", "select"):
        return "Choisissez une réponse."
    if question.type == "checkboxes":
        return "Cochez au moins une réponse."
    if question.type == "file":
        return "Choisissez un fichier à envoyer."
    if question.type == "date":
        return "Écrivez la date : le jour, le mois et l'année."
    if question.type == "address":
        return "Écrivez l'adresse : le numéro et la rue, le code postal et la commune."
    return f"Répondez à la question : {label}."


class QuestionValidator:
    """Check one answer against its definition; `field.answer` receives the clean value."""

    def __init__(self, question: Question, dont_know_field: str | None):
        self.question = question
        self.dont_know_field = dont_know_field

    def __call__(self, form, field) -> None:
        question = self.question
        if self.dont_know_field and form[self.dont_know_field].data:
            field.answer = DONT_KNOW
            return
        raw = field.data
        if _is_empty(question, raw):
            if question.required:
                raise ValidationError(_required_message(question))
            field.answer = [] if question.type in ("checkboxes", "file") else ""
            return
        field.answer = CLEANERS.get(question.type, _clean_text)(question, raw)


def _is_empty(question: Question, raw) -> bool:
    """Nothing but spaces and invisible control characters is no answer (the cleaners drop them)."""
    if question.type == "date":
        return not any(_visible((raw or {}).get(part)) for part in ("jour", "mois", "annee"))
    if question.type == "address":
        return not any(_visible((raw or {}).get(part)) for part in ("ligne1", "ligne2", "code_postal", "commune"))
    if question.type == "checkboxes":
        return not raw
    if question.type == "file":
        return raw is None or not getattr(raw, "filename", "")
    return not _visible(raw)


def _visible(value) -> str:
    return printable(str(value)).strip() if value is not None else ""


def _clean_text(question: Question, raw) -> str:
    # Browsers send a line break as "\r\n": stored as "\n", and counted as one character, as they count it.
    text = printable(str(raw)).replace("\r\n", "\n").replace("\r", "\n")
    value = " ".join(text.split()) if question.type != "textarea" else text.strip()
    rules = question.validation
    if rules.min_length and len(value) < rules.min_length:
        raise ValidationError(f"Écrivez au moins {rules.min_length} caractères.")
    if rules.max_length and len(value) > rules.max_length:
        raise ValidationError(f"Votre réponse est trop longue : {rules.max_length} caractères au maximum "
                              f"(vous en avez écrit {len(value)}).")
    if rules.pattern and not re.fullmatch(rules.pattern, value):
        raise ValidationError(rules.pattern_message)
    return value


def _clean_email(question: Question, raw) -> str:
    value = _clean_text(question, raw)
    if not EMAIL_RE.fullmatch(value):
        raise ValidationError("Écrivez une adresse e-mail complète, par exemple nom@exemple.fr.")
    return value


def _clean_number(question: Question, raw) -> str:
    """A whole number, or a decimal with at most `decimals` digits after the comma; stored as "2.5"."""
    rules = question.validation
    match = NUMBER_RE.fullmatch(printable(str(raw)).strip())
    if match is None:
        example = "2,5" if rules.decimals else "12"
        raise ValidationError(f"Écrivez un nombre avec des chiffres seulement, par exemple {example}.")
    decimals = match["decimals"] or ""
    if len(decimals) > rules.decimals:
        raise ValidationError("Écrivez un nombre entier, sans virgule, par exemple 3." if not rules.decimals else
                              f"Écrivez au plus {rules.decimals} chiffre{'s' if rules.decimals > 1 else ''} "
                              "après la virgule, par exemple 2,5.")
    units = "".join(char for char in match["units"] if char.isdigit()).lstrip("0") or "0"
    negative = match["sign"] is not None
    too_small = f"Écrivez un nombre égal ou supérieur à {french_number(rules.min)}." if rules.min is not None else None
    too_large = f"Écrivez un nombre égal ou inférieur à {french_number(rules.max)}." if rules.max is not None else None
    if len(units) > MAX_DIGITS:
        raise ValidationError((too_small if negative else too_large)
                              or f"Ce nombre est trop long : {MAX_DIGITS} chiffres au maximum.")
    number = Decimal(f"{'-' if negative else ''}{units}.{decimals or '0'}")
    if too_small and number < Decimal(str(rules.min)):
        raise ValidationError(too_small)
    if too_large and number > Decimal(str(rules.max)):
        raise ValidationError(too_large)
    return _canonical(number)


def _canonical(number: Decimal) -> str:
    """"2.5", "3", "-1": no exponent, no trailing zero, no "-0"."""
    text = f"{number:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def french_number(value: int | float | str) -> str:
    """A number written the French way, 2,5 rather than 2.5: limits in messages, and answers (stored as
    "2.5") wherever they are shown, in a form, on the check page, the receipt, tracking and the back office.
    Anything else (an answer stored before numbers were checked, like "nan") is shown as it is."""
    text = _canonical(Decimal(str(value))) if isinstance(value, (int, float)) else str(value)
    return text.replace(".", ",") if STORED_NUMBER_RE.fullmatch(text) else text


def _clean_date(question: Question, raw: dict) -> str:
    parts = {name: printable(str(raw.get(name) or "")).strip() for name in ("jour", "mois", "annee")}
    missing = [label for name, label in (("jour", "le jour"), ("mois", "le mois"), ("annee", "l'année"))
               if not parts[name]]
    if missing:
        raise ValidationError(f"La date doit contenir {' et '.join(missing)}.")
    # Bounded ASCII digits: "٣" or 20 digits would reach int() or date() and fail there.
    if not (DAY_OR_MONTH_RE.fullmatch(parts["jour"]) and DAY_OR_MONTH_RE.fullmatch(parts["mois"])
            and YEAR_RE.fullmatch(parts["annee"])):
        raise ValidationError("Écrivez la date avec des chiffres, par exemple 27 3 2026. L'année a 4 chiffres.")
    try:
        value = date(int(parts["annee"]), int(parts["mois"]), int(parts["jour"]))
    except ValueError:
        raise ValidationError("Cette date n'existe pas. Vérifiez le jour et le mois.") from None
    today = date.today()
    if question.validation.date == "past" and value > today:
        raise ValidationError("La date doit être aujourd'hui ou dans le passé.")
    if question.validation.date == "future" and value < today:
        raise ValidationError("La date doit être aujourd'hui ou plus tard.")
    return value.isoformat()


def _clean_address(question: Question, raw: dict) -> dict:
    value = {name: " ".join(printable(str(raw.get(name) or "")).split())
             for name in ("ligne1", "ligne2", "code_postal", "commune")}
    if not value["ligne1"] or not value["commune"]:
        raise ValidationError("Écrivez le numéro et la rue, puis la commune.")
    if not POSTCODE_RE.fullmatch(value["code_postal"]):
        raise ValidationError("Écrivez le code postal avec 5 chiffres, par exemple 99100.")
    if any(len(part) > 150 for part in value.values()):
        raise ValidationError("Une ligne de l'adresse est trop longue : 150 caractères au maximum.")
    return value


def _clean_choice(question: Question, raw) -> str:
    allowed = {option.value for option in question.options} | ({DONT_KNOW} if question.dont_know else set())
    if raw not in allowed:
        raise ValidationError("Choisissez une des réponses proposées.")
    return raw


def _clean_choices(question: Question, raw) -> list[str]:
    allowed = [option.value for option in question.options]
    if any(value not in allowed for value in raw):
        raise ValidationError("Choisissez parmi les réponses proposées.")
    return [value for value in allowed if value in raw]


def _clean_file(question: Question, raw):
    """The upload itself is checked and stored by files.store_upload; here we only pass it on."""
    return raw


CLEANERS = {
    "email": _clean_email, "number": _clean_number, "date": _clean_date, "address": _clean_address,
    "radios": _clean_choice, "yesno": _clean_choice, "select": _clean_choice, "checkboxes": _clean_choices,
    "file": _clean_file,
}


def label_of(question: Question) -> str:
    """Optional questions say so in words, never with an asterisk on the others."""
    if question.required or "(facultatif)" in question.label:
        return question.label
    return f"{question.label} (facultatif)"


def _field(question: Question, dont_know_field: str | None) -> Field:
    validators = [QuestionValidator(question, dont_know_field)]
    label = label_of(question)
    choices = [(option.value, option.label) for option in question.options]
    if question.dont_know and question.type in CHOICE_TYPES_WITH_DONT_KNOW:
        choices.append((DONT_KNOW, DONT_KNOW_LABEL))
    if question.type == "textarea":
        return TextAreaField(label, validators=validators, description=question.hint)
    if question.type in ("radios", "yesno"):
        return RadioField(label, choices=choices, validators=validators, description=question.hint,
                          validate_choice=False)
    if question.type == "select":
        return SelectField(label, choices=[("", "Choisissez dans la liste")] + choices,
                           validators=validators, description=question.hint, validate_choice=False)
    if question.type == "checkboxes":
        return SelectMultipleField(label, choices=choices, validators=validators,
                                   description=question.hint, validate_choice=False)
    if question.type == "date":
        return DateField(label, validators=validators, description=question.hint)
    if question.type == "address":
        return AddressField(label, validators=validators, description=question.hint)
    if question.type == "file":
        return FileField(label, validators=validators, description=question.hint)
    return StringField(label, validators=validators, description=question.hint)


@cache
def page_form_class(page: Page) -> type[FlaskForm]:
    """A form class for one page: one field per question, plus "Je ne sais pas" boxes where allowed.

    Pages are frozen, so the class is built once per page and definition version."""
    attributes = {}
    for question in page.questions:
        dont_know_name = None
        if question.dont_know and question.type not in CHOICE_TYPES_WITH_DONT_KNOW:
            dont_know_name = f"{question.id}_ne_sait_pas"
            attributes[dont_know_name] = BooleanField(DONT_KNOW_LABEL)
        attributes[question.id] = _field(question, dont_know_name)
    return type(f"PageForm_{page.id}", (Form,), attributes)


def answers_from(form: FlaskForm, page: Page) -> dict:
    """The clean answers of a validated form (file fields hold the upload, stored by the caller)."""
    return {question.id: form[question.id].answer for question in page.questions}


def form_data_from(page: Page, answers: dict) -> dict:
    """Prefill a page's form from saved answers, so "Modifier" and the back button show what was typed."""
    data = {}
    for question in page.questions:
        if question.id not in answers:
            continue
        value = answers[question.id]
        if value == DONT_KNOW and question.dont_know and question.type not in CHOICE_TYPES_WITH_DONT_KNOW:
            data[f"{question.id}_ne_sait_pas"] = True
            continue
        if question.type == "date" and value:
            year, month, day = value.split("-")
            data[question.id] = {"jour": str(int(day)), "mois": str(int(month)), "annee": year}
        elif question.type == "number" and value:
            data[question.id] = french_number(value)
        elif question.type != "file":
            data[question.id] = value
    return data
