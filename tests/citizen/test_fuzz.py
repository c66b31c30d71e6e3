"""Hostile values posted to every form of the site and every step of every démarche.

The forms are read from the pages themselves (their fields, hidden values, buttons and the
`form="…"` fields that join them), so a new form or a new step is fuzzed without touching this
file. Two rules hold for every request: never a 5xx, and a refused request stores nothing
(rows, files on disk, the draft's answers).
"""
import io
import os
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

import pytest
from sqlalchemy import func, select

from a11y.walker import STEP_RE, page_data, small_png, start, token_of
from guichet import db
from guichet.citizen.views.system import public_urls
from guichet.demarches import flow
from guichet.demarches.catalogue import catalogue
from guichet.demarches.models import Draft, StoredFile
from guichet.demarches.typed import TYPED_KEY
from guichet.feedback.models import FeedbackVote, Report
from guichet.mail.models import OutboxMessage
from guichet.requests.models import DemarcheRequest

HOSTILE = [
    "", " ", "x" * 20_000, "\x00", "a\x00b", "\x01\x1b[31m\x7f", b"\xff\xfe\xfd", b"\xed\xa0\x80",
    "99999999999999999999", "-1", "NaN", "1e1", "2,5", "\n", "/\n", "/aide\r\nSet-Cookie: x=1",
    "\u202e\u200fabc\u200e", "<script>alert(1)</script>", "' OR 1=1 --", "../../etc/passwd", "//evil.example",
    "je-ne-sais-pas", "🙂" * 40,
]
STORED_MODELS = (Report, FeedbackVote, DemarcheRequest, Draft, StoredFile, OutboxMessage)
TOKEN = "csrf_token"


@dataclass
class Submission:
    """One way to send a form: its target, its fields with a usable value each, its file fields."""

    method: str
    action: str
    multipart: bool
    fields: dict[str, str] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    token_name: str | None = None

    def signature(self) -> tuple:
        return self.method, re.sub(r"[0-9]+", "N", self.action), tuple(sorted(self.fields)), tuple(self.files)


class FormReader(HTMLParser):
    """Every <form> of a page with its fields, including fields placed outside it with `form="id"`."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self.outside: list[tuple[str, dict]] = []
        self.current: dict | None = None
        self.textarea: dict | None = None
        self.select: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.current = {"attrs": attrs, "controls": []}
            self.forms.append(self.current)
        elif tag in ("input", "button", "textarea", "select") and "name" in attrs:
            control = {"tag": tag, "attrs": attrs, "options": []}
            owner = attrs.get("form")
            if owner:
                self.outside.append((owner, control))
            elif self.current is not None:
                self.current["controls"].append(control)
            self.textarea = control if tag == "textarea" else None
            self.select = control if tag == "select" else self.select
        elif tag == "option" and self.select is not None:
            self.select["options"].append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None

    def submissions(self, base_path: str) -> list[Submission]:
        by_id = {form["attrs"].get("id"): form for form in self.forms if form["attrs"].get("id")}
        for owner, control in self.outside:
            if owner in by_id:
                by_id[owner]["controls"].append(control)
        found = []
        for form in self.forms:
            buttons = [c for c in form["controls"] if c["tag"] == "button" or c["attrs"].get("type") == "submit"]
            for button in buttons or [None]:
                found.append(_submission(form, button, base_path))
        return found


def _submission(form: dict, button: dict | None, base_path: str) -> Submission:
    attrs = form["attrs"]
    action = (button or {}).get("attrs", {}).get("formaction") or attrs.get("action") or base_path
    sent = Submission(attrs.get("method", "get").lower(), action,
                      attrs.get("enctype") == "multipart/form-data")
    for control in form["controls"]:
        name, kind = control["attrs"]["name"], control["attrs"].get("type", "text")
        if control["tag"] == "button" or kind == "submit":
            if control is button:
                sent.fields[name] = control["attrs"].get("value", "")
        elif kind == "file":
            sent.files.append(name)
        elif kind in ("radio", "checkbox"):
            sent.fields.setdefault(name, control["attrs"].get("value", "on"))
        elif control["tag"] == "select":
            sent.fields.setdefault(name, next((option for option in control["options"] if option), ""))
        else:
            sent.fields[name] = control["attrs"].get("value") or {"email": "marie.dupont@example.fr"}.get(kind, "Dupont")
        if name.endswith(TOKEN):
            sent.token_name = name
    return sent


def _encoded(pairs: list[tuple[str, str | bytes]]) -> bytes:
    return urlencode([(name, value) for name, value in pairs]).encode()


def _mutations(sent: Submission, values: list, full: bool):
    """(label, pairs, uploads) for each hostile request built from one submission.

    `values` are the hostile values for this form; a form whose target was already fuzzed (the
    report widget on each step) only gets the token and a few values (`full` false)."""
    editable = [name for name in sent.fields if name != sent.token_name]
    base = list(sent.fields.items())

    def replaced(values: dict) -> list:
        return [(name, values.get(name, value)) for name, value in base]

    if sent.token_name:
        yield "no token", [(n, v) for n, v in base if n != sent.token_name], {}
        yield "forged token", replaced({sent.token_name: "IjEyMyI.forged.token"}), {}
    if not editable:
        return  # a button with only its token (start, erase…): a valid request would just do its job
    for value in values if full else values[:2]:
        yield f"every field = {value!r:.30}", replaced({name: value for name in editable}), {}
    if full:
        yield "fields missing", [(n, v) for n, v in base if n == sent.token_name], {}
        for index, name in enumerate(editable):
            # One field at a time: its own valid value with a newline (what slips past a "$"), or a hostile one.
            value = sent.fields[name] + "\n" if index % 2 == 0 else values[index % len(values)]
            yield f"{name} = {value!r:.30}", replaced({name: value}), {}
        yield "duplicated fields", base + [(name, "99999999999999999999") for name in editable], {}
        yield "text sent as files", [(n, v) for n, v in base if n not in editable], {
            name: (io.BytesIO(b"\x00\xff" * 50), "a\x00b.txt") for name in editable}
        if sent.files:
            yield "files sent as text", base + [(name, "pas un fichier") for name in sent.files], {}


def _state(app, draft_id: str | None) -> tuple:
    """What a refused request must leave untouched: row counts, files on disk, the draft's answers."""
    with app.app_context():
        session = db.session()
        counts = session.execute(select(*[select(func.count()).select_from(model).scalar_subquery()
                                          for model in STORED_MODELS])).one()
        draft = session.get(Draft, draft_id) if draft_id else None
        answers = {name: value for name, value in draft.answers.items() if name != TYPED_KEY} if draft else None
        session.close()
    folder = app.config["UPLOAD_DIR"]
    on_disk = sorted(os.listdir(folder)) if os.path.isdir(folder) else []
    return tuple(counts), on_disk, answers


class Fuzzer:
    def __init__(self, app):
        self.app = app
        self.seen: set[tuple] = set()
        self.requests = 0
        self.forms = 0
        self.failures: list[str] = []

    def fuzz_page(self, client, path: str, draft_id: str | None = None) -> None:
        html = client.get(path).get_data(as_text=True)
        reader = FormReader()
        reader.feed(html)
        for sent in reader.submissions(urlsplit(path).path):
            if sent.signature() in self.seen:
                continue
            self.seen.add(sent.signature())
            full = not self.seen_action(sent)
            # Each form gets a third of the hostile values, in turn: together the forms get them all.
            values = HOSTILE[self.forms % 3::3] if draft_id else HOSTILE
            self.forms += 1
            for label, pairs, uploads in _mutations(sent, values, full):
                self.send(client, sent, label, pairs, uploads, draft_id)

    def seen_action(self, sent: Submission) -> bool:
        """A second form with the same target (the report widget of each step) gets fewer requests."""
        key = ("action", sent.method, re.sub(r"[0-9]+", "N", sent.action))
        known = key in self.seen
        self.seen.add(key)
        return known

    def send(self, client, sent: Submission, label: str, pairs: list, uploads: dict, draft_id: str | None):
        before = _state(self.app, draft_id)
        if sent.method == "get":
            query = urlencode(pairs)
            response = client.get(f"{sent.action}?{query}")
        elif uploads or (sent.multipart and sent.files):
            data = {}
            for name, value in pairs:
                data.setdefault(name, []).append(value.decode("latin-1") if isinstance(value, bytes) else value)
            for name in sent.files:
                data.setdefault(name, (io.BytesIO(small_png()), "photo.png"))
            data.update(uploads)
            response = client.post(sent.action, data=data, content_type="multipart/form-data")
        else:
            response = client.post(sent.action, data=_encoded(pairs),
                                   content_type="application/x-www-form-urlencoded")
        self.requests += 1
        where = f"{sent.method.upper()} {sent.action} [{label}]"
        if response.status_code >= 500:
            self.failures.append(f"{where}: {response.status_code}")
        elif response.status_code >= 400:
            if before != _state(self.app, draft_id):
                self.failures.append(f"{where}: refused with {response.status_code} but something was stored")
            if response.mimetype == "text/html" and 'lang="fr"' not in response.get_data(as_text=True)[:300]:
                self.failures.append(f"{where}: {response.status_code} without a French page")


def _valid_step_data(page, token: str) -> dict:
    data = page_data(page, token)
    for question in page.questions:
        if question.type == "file":
            data[question.id] = (io.BytesIO(small_png()), "photo.png")
    return data


def _fuzz_demarche(fuzzer: Fuzzer, client, demarche) -> None:
    """Walk the démarche like walker.walk_to_check, fuzzing each page before answering it validly."""
    response = start(client, demarche)
    draft_id = client.get_cookie(f"brouillon-{demarche.slug}").value
    for _ in range(60):
        location = response.headers["Location"]
        if location.endswith("/verifier"):
            break
        path = urlsplit(location).path + (f"?{urlsplit(location).query}" if urlsplit(location).query else "")
        shown = client.get(path)
        if shown.status_code == 302:
            response = shown
            continue
        fuzzer.fuzz_page(client, path, draft_id)
        html = client.get(path).get_data(as_text=True)
        page_id = STEP_RE.search(location).group(1)
        page = next(page for page in flow.all_pages(demarche) if page.id == page_id)
        data = {"csrf_token": token_of(html)} if "/groupe/" in location else _valid_step_data(page, token_of(html))
        response = client.post(path, data=data, content_type="multipart/form-data")
        assert response.status_code == 302, (path, response.get_data(as_text=True)[:500])
    for page in ("enregistrer", "verifier"):
        fuzzer.fuzz_page(client, f"/demarches/{demarche.slug}/{page}", draft_id)


@pytest.fixture(scope="module")
def fuzzer(app):
    return Fuzzer(app)


def test_every_public_form_survives_hostile_values(app, fuzzer):
    with app.test_request_context():
        pages = ["/", "/recherche", "/suivi", "/reprendre"] + [url for url in public_urls() if "/fiches/" in url][:1]
    client = app.test_client()
    for path in pages:
        fuzzer.fuzz_page(client, path)
    assert not fuzzer.failures, "\n".join(fuzzer.failures[:30])
    assert {"/signalements", "/avis", "/recherche", "/suivi", "/reprendre"} <= {
        action for _kind, _method, action, *_rest in fuzzer.seen if _kind != "action"} | {
        key[2] for key in fuzzer.seen if key[0] == "action"}


def test_every_step_of_every_demarche_survives_hostile_values(app, fuzzer):
    with app.app_context():
        demarches = catalogue().all()
    for demarche in demarches:
        _fuzz_demarche(fuzzer, app.test_client(), demarche)
    assert not fuzzer.failures, "\n".join(fuzzer.failures[:30])
    fuzzed_steps = {key[2] for key in fuzzer.seen if key[0] == "action" and "/etape/" in key[2]}
    assert len(fuzzed_steps) >= sum(len(flow.all_pages(demarche)) for demarche in demarches) // 2
