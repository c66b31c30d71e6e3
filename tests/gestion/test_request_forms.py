"""Property-based checks of the request page's forms: valid exactly when non-blank and within the limit."""
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from guichet.citizen.forms import REPLY_MAX, ReplyForm
from guichet.gestion.forms import MESSAGE_MAX_LENGTH, NOTE_MAX_LENGTH, MessageForm, NoteForm
from guichet.gestion.views.requests import safe_filename

TEXTS = st.one_of(st.text(max_size=50), st.text(min_size=4990, max_size=5010, alphabet="ab \n"),
                  st.text(min_size=1990, max_size=2010, alphabet="ab "))


def valid(app, form_class, field, value) -> bool:
    with app.test_request_context(method="POST", data=MultiDict({field: value})):
        form = form_class(meta={"csrf": False})
        return form.validate()


@settings(max_examples=60, deadline=None)
@given(TEXTS)
def test_message_note_and_reply_forms(app, text):
    blank = not text.strip()
    assert valid(app, MessageForm, "body", text) == (not blank and len(text) <= MESSAGE_MAX_LENGTH)
    assert valid(app, NoteForm, "text", text) == (not blank and len(text) <= NOTE_MAX_LENGTH)
    assert valid(app, ReplyForm, "body", text) == (not blank and len(text) <= REPLY_MAX)


@given(st.text(max_size=300), st.sampled_from(["a1.pdf", "b2.png", "c3.jpg"]))
def test_safe_filename_has_no_path_nor_control_and_the_real_extension(original, stored):
    name = safe_filename(original, stored)
    assert "/" not in name and "\\" not in name and name.isprintable() and '"' not in name
    assert name.endswith("." + stored.rsplit(".", 1)[1]) and len(name) <= 104
