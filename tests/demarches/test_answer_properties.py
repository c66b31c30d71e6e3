"""Every answer cleaner of the démarche engine, fed anything: a valid value or a plain French error.

The questions are the real ones (every démarche, every identity page), so a new question or a new
type is covered without touching this file. A "valid value" is checked against the question's own
rules: the answer stored is what the definition promises, never a surprise ("nan", 10 for "1e1").
"""
import re
from datetime import date

import pytest
from hypothesis import example, given, settings, strategies as st
from werkzeug.datastructures import MultiDict

from guichet.demarches.catalogue import catalogue
from guichet.demarches.definitions import DONT_KNOW, Page, Question, Validation
from guichet.demarches.forms import page_form_class
from guichet.demarches.identity import identity_pages
from guichet.demarches.intermediary import PAGES as HELPER_PAGES
from guichet.demarches.schema import IDENTITY_KINDS

ENGLISH_MARKERS = ("not a valid", "invalid", "this field", "must be", "error", "traceback", "exception")
CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
NUMBER_RE = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]*[1-9])?")

# Text that hostile clients send: anything, plus the shapes that broke cleaners before.
HOSTILE = st.sampled_from([
    "99999999999999999999", "-99999999999999999999", "NaN", "nan", "inf", "-inf", "1e1", "1E400", "2,5", "2.5",
    "2,55555", "1 000", "1 00 0", "1.000.000", "0x1F", "١٢", "²", "٣", "0", "-0", "00012", " 7 ", "7\n", "\n",
    "\x00", "a\x00b", "\ud800", "\u202e\u200fabc", "", " ", "je-ne-sais-pas", "oui", "non", "x" * 2100,
    "06 12 34 56 78\n", "123 456 789 00012\n", "W991234567\n", "a@b.fr\n", "99100\n", "99100",
])
TEXT = st.one_of(HOSTILE, st.text(max_size=60), st.text(alphabet="0123456789 ,.-+eE", max_size=25))


def _questions() -> list[Question]:
    found = {}
    for demarche in catalogue().all():
        for question in demarche.all_questions():
            found.setdefault((demarche.slug, question.id), question)
    for kind in IDENTITY_KINDS:
        for page in identity_pages(kind) + HELPER_PAGES:
            for question in page.questions:
                found.setdefault(("identite", question.id), question)
    return list(found.values())


@pytest.fixture(scope="module")
def questions(app):
    with app.app_context():
        return _questions()


def _raw_strategy(question: Question):
    """Form fields as a browser (or a robot) sends them for this question."""
    name = question.id
    if question.type == "date":
        return st.fixed_dictionaries({f"{name}-{part}": TEXT for part in ("jour", "mois", "annee")})
    if question.type == "address":
        return st.fixed_dictionaries({f"{name}-{part}": TEXT for part in ("ligne1", "ligne2", "code_postal", "commune")})
    if question.type == "checkboxes":
        values = [option.value for option in question.options]
        return st.lists(st.one_of(st.sampled_from(values), TEXT), max_size=4).map(lambda items: {name: items})
    if question.type in ("radios", "yesno", "select"):
        values = [option.value for option in question.options] + [DONT_KNOW]
        return st.one_of(st.sampled_from(values), TEXT).map(lambda value: {name: value})
    return TEXT.map(lambda value: {name: value})


def _formdata(fields: dict) -> MultiDict:
    pairs = []
    for key, value in fields.items():
        pairs += [(key, item) for item in value] if isinstance(value, list) else [(key, value)]
    return MultiDict(pairs)


def _check_message(message) -> None:
    text = str(message)
    assert text.strip() and text.rstrip()[-1] in ".!?", text
    assert not any(marker in text.lower() for marker in ENGLISH_MARKERS), text


def _check_answer(question: Question, answer) -> None:
    """The stored answer keeps every promise of the definition."""
    rules: Validation = question.validation
    if answer in ("", []):
        assert not question.required
        return
    if answer == DONT_KNOW and question.dont_know:
        return
    if question.type in ("text", "textarea", "email", "phone"):
        assert isinstance(answer, str) and not CONTROL_RE.search(answer), repr(answer)
        assert question.type == "textarea" or "\n" not in answer
        assert rules.max_length is None or len(answer) <= rules.max_length
        assert rules.min_length is None or len(answer) >= rules.min_length
        assert rules.pattern is None or re.fullmatch(rules.pattern, answer)
        if question.type == "email":
            assert re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", answer)
    elif question.type == "number":
        assert NUMBER_RE.fullmatch(answer), answer
        digits_after = len(answer.partition(".")[2])
        assert digits_after <= rules.decimals
        assert rules.min is None or float(answer) >= rules.min
        assert rules.max is None or float(answer) <= rules.max
    elif question.type == "date":
        day = date.fromisoformat(answer)
        assert rules.date != "past" or day <= date.today()
        assert rules.date != "future" or day >= date.today()
    elif question.type == "address":
        assert re.fullmatch(r"[0-9]{5}", answer["code_postal"]) and answer["ligne1"] and answer["commune"]
        assert not any(CONTROL_RE.search(part) or "\n" in part for part in answer.values())
    elif question.type == "checkboxes":
        assert set(answer) <= {option.value for option in question.options}
    else:
        assert answer in {option.value for option in question.options}


def _validate(app, question: Question, fields: dict):
    page = Page(f"p_{question.id}", None, (question,), None, None)
    with app.test_request_context(method="POST"):
        form = page_form_class(page)(formdata=_formdata(fields), meta={"csrf": False})
        valid = form.validate()
        field = form[question.id]
        return valid, getattr(field, "answer", None), list(field.errors)


@settings(max_examples=200)
@given(data=st.data())
def test_every_question_gives_a_valid_answer_or_a_plain_french_error(app, questions, data):
    question = data.draw(st.sampled_from(questions), label="question")
    fields = data.draw(_raw_strategy(question), label="fields")
    valid, answer, errors = _validate(app, question, fields)
    if valid:
        _check_answer(question, answer)
    else:
        assert errors
        for message in errors:
            _check_message(message)


def _number_question(**rules) -> Question:
    validation = Validation(None, None, None, None, rules.get("min"), rules.get("max"), None, (), 0,
                            rules.get("decimals", 0))
    return Question("nombre", "number", "Combien ?", None, True, validation, None, "numeric", (), False, False)


@pytest.mark.parametrize("typed, decimals, expected", [
    ("3", 0, "3"), (" 12 ", 0, "12"), ("1 250", 0, "1250"), ("007", 0, "7"),
    ("2,5", 1, "2.5"), ("2.5", 1, "2.5"), ("2,50", 2, "2.5"), ("3", 2, "3"), ("-0", 0, "0"),
])
def test_numbers_are_read_the_french_way_and_stored_canonically(app, typed, decimals, expected):
    valid, answer, errors = _validate(app, _number_question(decimals=decimals), {"nombre": typed})
    assert (valid, answer) == (True, expected), errors


@pytest.mark.parametrize("typed, decimals", [
    ("NaN", 0), ("nan", 2), ("inf", 0), ("1e1", 0), ("1e1", 2), ("2,5", 0), ("2,555", 2), ("1.000.000", 0),
    ("1 00 0", 0), ("0x10", 0), ("٣", 0), ("²", 0), ("99999999999999999999", 0), ("1,2,3", 2), ("", 0),
])
def test_numbers_that_are_not_plain_numbers_are_refused(app, typed, decimals):
    valid, _answer, errors = _validate(app, _number_question(decimals=decimals), {"nombre": typed})
    assert not valid and errors


def test_number_limits_still_apply_and_are_written_the_french_way(app):
    question = _number_question(min=1, max=2.5, decimals=1)
    assert _validate(app, question, {"nombre": "2,5"})[:2] == (True, "2.5")
    assert _validate(app, question, {"nombre": "2,6"})[2] == ["Écrivez un nombre égal ou inférieur à 2,5."]
    assert _validate(app, question, {"nombre": "0,9"})[2] == ["Écrivez un nombre égal ou supérieur à 1."]
    assert _validate(app, question, {"nombre": "99999999999999999999"})[2] == [
        "Écrivez un nombre égal ou inférieur à 2,5."]


@pytest.mark.parametrize("value, shown", [
    ("2.5", "2,5"), ("3", "3"), ("-1.25", "-1,25"), ("1250", "1250"), (2.5, "2,5"), (200, "200"), (0.5, "0,5"),
    ("nan", "nan"), ("1e1", "1e1"), ("abc", "abc"), ("2.5\n", "2.5\n"), ("1e999999999", "1e999999999"),
])
def test_one_function_writes_numbers_the_french_way_and_leaves_anything_else_as_it_is(value, shown):
    from guichet.demarches.forms import french_number
    assert french_number(value) == shown


@pytest.mark.parametrize("day, month, year", [
    ("99999999999999999999", "3", "2020"), ("3", "99999999999999999999", "2020"), ("٣", "3", "2020"),
    ("31", "2", "2020"), ("1", "1", "0000"), ("3\n", "3", "2020\n0"),
])
def test_impossible_dates_get_a_message(app, day, month, year):
    question = Question("quand", "date", "Quand ?", None, True, Validation(None, None, None, None, None, None, None,
                                                                           (), 0), None, None, (), False, False)
    valid, _answer, errors = _validate(app, question, {"quand-jour": day, "quand-mois": month, "quand-annee": year})
    assert not valid and errors


@given(text=st.text(max_size=40))
@example(text="a\x00b")
def test_a_text_answer_never_keeps_control_characters(app, text):
    question = Question("nom", "text", "Nom", None, False, Validation(None, 200, None, None, None, None, None, (), 0),
                        None, None, (), False, False)
    valid, answer, _errors = _validate(app, question, {"nom": text})
    assert valid and not CONTROL_RE.search(answer) and "\n" not in answer
