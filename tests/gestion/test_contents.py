"""The editors' room: an editor rewrites a fiche, a reviewer approves it, citizens see it, history keeps it."""
import re

import pytest

from guichet import db
from guichet.audit.models import AuditEntry
from guichet.content.frontmatter import split
from guichet.content.models import Fiche
from tests.conftest import build_app
from tests.gestion.conftest import open_session

SLUG = "demander-acte-etat-civil"
JARGON = "Nonobstant les dispositions afférentes, il convient de procéder à la demande idoine."
PLAIN = "Vous pouvez faire la demande en ligne."


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """A database of its own: these tests publish fiches. Stored pages check the content version at every
    request (in production, at most once a second)."""
    return build_app(f"sqlite:///{tmp_path_factory.mktemp('contents') / 'guichet.sqlite3'}",
                     PAGE_CACHE_TTL_SECONDS=0)


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def form_data(html: str) -> dict:
    """The edit form's values as the browser would send them."""
    form = html[html.index('class="redaction__formulaire"'):html.index("</form>", html.index('class="redaction__formulaire"'))]
    data = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form))
    data.update({name: value for name, value in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S)})
    data["owner_service"] = re.search(r'<option value="([^"]+)" selected', form).group(1)
    import html as htmllib
    return {key: htmllib.unescape(value) for key, value in data.items()}


def signed_in(app, make_staff, *roles):
    client = app.test_client()
    member = make_staff(*roles)
    open_session(app, client, member)
    return client, member


def test_an_editor_rewrites_a_reviewer_approves_citizens_see_it_and_history_keeps_the_old_one(app, make_staff):
    editor, _member = signed_in(app, make_staff, ("editeur", "etat-civil"))
    reviewer, _other = signed_in(app, make_staff, ("relecteur", "etat-civil"))
    page = editor.get(f"/gestion/contenus/{SLUG}")
    assert page.status_code == 200
    data = form_data(page.get_data(as_text=True))
    original_body = data["body"]
    first_line = original_body.split("\n")[2]
    data["body"] = original_body.replace(first_line, JARGON, 1)
    checked = editor.post(f"/gestion/contenus/{SLUG}/verification", data=data)
    report = checked.get_data(as_text=True)
    assert "afférentes" in report and "ligne 3 du texte" in report and "Écrivez plutôt" in report
    data["faire"] = "verifier"
    no_js = editor.post(f"/gestion/contenus/{SLUG}", data=data).get_data(as_text=True)
    assert "afférentes" in no_js and "ligne 3 du texte" in no_js
    data["body"] = original_body.replace(first_line, PLAIN, 1)
    fixed = editor.post(f"/gestion/contenus/{SLUG}/verification", data=data).get_data(as_text=True)
    assert "afférentes" not in fixed and "0 erreur" in fixed
    data["faire"], data["note"] = "enregistrer", "Phrase plus simple"
    saved = editor.post(f"/gestion/contenus/{SLUG}", data=data)
    assert saved.status_code == 302
    assert PLAIN not in app.test_client().get(f"/fiches/{SLUG}").get_data(as_text=True)
    page = editor.get(f"/gestion/contenus/{SLUG}").get_data(as_text=True)
    lock = re.search(r'name="lock" value="(\d+)"', page).group(1)
    assert "Approuver" not in page
    assert editor.post(f"/gestion/contenus/{SLUG}/actions/soumettre",
                       data={"csrf_token": csrf(page), "lock": lock}).status_code == 302
    review = reviewer.get(f"/gestion/contenus/{SLUG}").get_data(as_text=True)
    lock = re.search(r'name="lock" value="(\d+)"', review).group(1)
    assert reviewer.post(f"/gestion/contenus/{SLUG}/actions/approuver",
                         data={"csrf_token": csrf(review), "lock": lock}).status_code == 302
    assert PLAIN in app.test_client().get(f"/fiches/{SLUG}").get_data(as_text=True)
    history = reviewer.get(f"/gestion/contenus/{SLUG}/versions").get_data(as_text=True)
    assert "Remplacée" in history and "Publiée" in history and "Phrase plus simple" in history
    added = "".join(re.findall(r"<ins>(.*?)</ins>", history, re.S))
    assert "pouvez" in added and "<del>" in history
    with app.app_context():
        actions = [entry.action for entry in db.session().query(AuditEntry).filter_by(target_id=SLUG)]
        assert {"fiche_brouillon", "fiche_soumettre", "fiche_approuver"} <= set(actions)
