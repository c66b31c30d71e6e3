"""The citizen forms and path checks, fed anything: they answer valid or invalid, never crash.

A value they accept can safely become a `Location` header or a stored row.
"""
import pytest
from hypothesis import example, given, strategies as st
from werkzeug.datastructures import MultiDict
from werkzeug.test import EnvironBuilder
from werkzeug.utils import redirect

from guichet.citizen import forms
from guichet.demarches import typed
from guichet.web.input import EMAIL_RE
from guichet.web.local_paths import is_local_path
from tests.demarches.test_answer_properties import CONTROL_RE, TEXT, _check_message

FORMS = [forms.ReportForm, forms.FeedbackForm, forms.DeclarationForm, forms.EmailLinkForm, forms.ResumeForm,
         forms.TrackingForm]
PATHS = st.one_of(TEXT, st.sampled_from(["/", "/aide\n", "/aide\r\nSet-Cookie: x=1", "//evil.example", "/\\evil",
                                         "/demarches/a/etape/b\n", "/demarches/a/etape/b/1", "/é?q=à", "/a#b"]),
                  st.text(max_size=40).map(lambda rest: "/" + rest))


def _can_be_a_location_header(path: str) -> bool:
    environ = EnvironBuilder(path="/").get_environ()
    headers = redirect(path).get_wsgi_headers(environ)
    location = headers["Location"]
    location.encode("latin-1")
    return "\n" not in location and "\r" not in location and not location.startswith("//")


@given(path=PATHS, query=st.booleans())
@example(path="/aide\n", query=False)
def test_an_accepted_local_path_is_always_a_safe_redirect(path, query):
    if is_local_path(path, query=query):
        assert not CONTROL_RE.search(path) and not path.startswith(("//", "/\\"))
        assert _can_be_a_location_header(path)


@given(path=PATHS)
def test_a_step_path_is_exactly_a_step(path):
    step = typed.step_of_path(path)
    if step is not None:
        assert path.startswith("/demarches/") and "\n" not in path and is_local_path(path)


@pytest.mark.parametrize("form_class", FORMS, ids=lambda form_class: form_class.__name__)
def test_every_citizen_form_validates_anything_without_crashing(app, form_class):
    prefix = {"ReportForm": "signalement-", "FeedbackForm": "avis-"}.get(form_class.__name__, "")
    with app.test_request_context(method="POST"):
        names = [f"{prefix}{field.short_name}" for field in form_class(meta={"csrf": False}) if field.short_name]

    @given(values=st.fixed_dictionaries({name: st.one_of(st.none(), TEXT, st.lists(TEXT, max_size=3))
                                         for name in names}))
    def check(values):
        pairs = [(name, item) for name, value in values.items() if value is not None
                 for item in (value if isinstance(value, list) else [value])]
        with app.test_request_context(method="POST"):
            form = form_class(formdata=MultiDict(pairs), meta={"csrf": False})
            if form.validate():
                for field in form:
                    if field.short_name == "page":
                        assert is_local_path(field.data) and _can_be_a_location_header(field.data)
                    if field.short_name == "email" and (field.data or "").strip():
                        assert EMAIL_RE.fullmatch(field.data.strip())
            else:
                for messages in form.errors.values():
                    for message in messages:
                        _check_message(message)

    check()


def test_every_form_ignores_files_sent_in_place_of_text(app):
    """Flask-WTF would put an upload into any field of the same name; our base form lets files fill file fields only."""
    from flask_wtf import FlaskForm

    from guichet.demarches.forms import page_form_class
    from guichet.demarches.identity import identity_pages
    from guichet.web.input import Form

    page_form_class(identity_pages("any")[0])

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    ours = [cls for cls in subclasses(FlaskForm) if cls.__module__.startswith("guichet")]
    assert ours and all(issubclass(cls, Form) for cls in ours), [cls for cls in ours if not issubclass(cls, Form)]
