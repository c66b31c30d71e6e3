"""The editors' room: an editor rewrites a fiche, a reviewer approves it, citizens see it, history keeps it."""
import html as htmllib
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guichet import db
from guichet.audit.models import AuditEntry
from guichet.content import service as content_service
from guichet.staff.demo import ensure_demo_staff
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
    return {key: htmllib.unescape(value) for key, value in data.items()}


def signed_in(app, make_staff, *roles):
    client = app.test_client()
    member = make_staff(*roles)
    open_session(app, client, member)
    return client, member


def demo_clients(app):
    """Signed-in clients for the demo editor and reviewer (editeur@ and relecteur@demo.admiville.test)."""
    with app.app_context():
        members = {member.email.split("@")[0]: member
                   for member in ensure_demo_staff(db.session(), app.config["SETTINGS"]["services"])}
        db.session().commit()
    clients = {}
    for name in ("editeur", "relecteur"):
        clients[name] = app.test_client()
        open_session(app, clients[name], members[name])
    return clients["editeur"], clients["relecteur"]


def test_an_editor_rewrites_a_reviewer_approves_citizens_see_it_and_history_keeps_the_old_one(app, tmp_path):
    """The demo of the issue, with the demo accounts, down to `flask content export`."""
    editor, reviewer = demo_clients(app)
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
    assert "afférentes" in no_js and "ligne 3 du texte" in no_js and "<mark>" in no_js
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
        content_service.export(db.session(), tmp_path)
    assert PLAIN in (tmp_path / "fr" / f"{SLUG}.md").read_text(encoding="utf-8")


def lock_of(html: str) -> str:
    return re.search(r'name="lock" value="(\d+)"', html).group(1)


def draft_saved(app, client, slug: str, change) -> str:
    """Save the edit form with `change(data)` applied; returns the edit page after the redirect."""
    data = form_data(client.get(f"/gestion/contenus/{slug}").get_data(as_text=True))
    change(data)
    data["faire"] = "enregistrer"
    response = client.post(f"/gestion/contenus/{slug}", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return client.get(f"/gestion/contenus/{slug}").get_data(as_text=True)


def test_a_fiche_of_another_service_is_not_found(app, make_staff):
    client, _member = signed_in(app, make_staff, ("editeur", "accueil"))
    assert client.get("/gestion/contenus/pacs").status_code == 404
    assert client.get("/gestion/contenus/pacs/versions").status_code == 404
    listing = client.get("/gestion/contenus/").get_data(as_text=True)
    assert "/gestion/contenus/pacs" not in listing


def test_the_list_shows_state_service_score_and_filters(app, make_staff):
    client, _member = signed_in(app, make_staff, ("admin", None))
    listing = client.get("/gestion/contenus/?tri=score").get_data(as_text=True)
    assert "Conclure un Pacs" in listing and "État civil" in listing or "etat-civil" in listing
    drafts = client.get("/gestion/contenus/?etat=brouillon").get_data(as_text=True)
    assert "Conclure un Pacs" not in drafts
    assert client.get("/gestion/contenus/?tri=nimporte&etat=%00").status_code == 200


def test_a_second_save_on_a_stale_form_is_refused_with_both_texts_and_nothing_typed_lost(app, make_staff):
    first, _one = signed_in(app, make_staff, ("editeur", "etat-civil"))
    second, _two = signed_in(app, make_staff, ("editeur", "etat-civil"))
    stale = form_data(second.get("/gestion/contenus/pacs").get_data(as_text=True))
    draft_saved(app, first, "pacs", lambda data: data.update(
        body=data["body"].replace("Vous pouvez être de même sexe", "Vous pouvez être du même sexe")))
    stale["body"] = stale["body"].replace("vous habitez ensemble", "vous vivez ensemble sous le même toit")
    stale["faire"] = "enregistrer"
    refused = second.post("/gestion/contenus/pacs", data=stale)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert "pendant que vous écriviez" in html
    assert "Vous pouvez être du même sexe" in html  # the other person's text
    assert html.count("vous vivez ensemble sous le même toit") >= 2  # in the form and beside it
    again = form_data(html)
    again["faire"] = "enregistrer"
    assert second.post("/gestion/contenus/pacs", data=again).status_code == 302


def test_bad_input_gets_a_french_message_a_4xx_and_keeps_what_was_typed(app, make_staff):
    client, _member = signed_in(app, make_staff, ("editeur", "etat-civil"))
    page = client.get("/gestion/contenus/mariage-mairie").get_data(as_text=True)
    lock = lock_of(page)
    cases = [({"life_events": "mariage-pacs, voyage-sur-la-lune"}, "événement de vie inconnu « voyage-sur-la-lune »"),
             ({"body": form_data(page)["body"] + "\n\nVoir [la page](/fiches/nulle-part)."},
              "lien interne cassé « /fiches/nulle-part »"),
             ({"title": ""}, "Écrivez le titre de la fiche."),
             ({"verified": "demain"}, "AAAA-MM-JJ"),
             ({"images": "mairie.svg"}, "Écrivez chaque image sur une ligne")]
    for change, message in cases:
        data = dict(form_data(page), faire="enregistrer", note="un essai tapé")
        data.update(change)
        response = client.post("/gestion/contenus/mariage-mairie", data=data)
        html = response.get_data(as_text=True)
        assert response.status_code == 400, change
        assert message in html, change
        assert "un essai tapé" in html
        assert lock_of(client.get("/gestion/contenus/mariage-mairie").get_data(as_text=True)) == lock


def submit(client, slug: str) -> None:
    page = client.get(f"/gestion/contenus/{slug}").get_data(as_text=True)
    assert client.post(f"/gestion/contenus/{slug}/actions/soumettre",
                       data={"csrf_token": csrf(page), "lock": lock_of(page)}).status_code == 302


def test_the_author_cannot_approve_and_a_reviewer_can_send_it_back(app, make_staff):
    author, _member = signed_in(app, make_staff, ("relecteur", "etat-civil"))
    reviewer, _other = signed_in(app, make_staff, ("relecteur", "etat-civil"))
    draft_saved(app, author, "livret-de-famille", lambda data: data.update(note="Relecture demandée"))
    submit(author, "livret-de-famille")
    page = author.get("/gestion/contenus/livret-de-famille").get_data(as_text=True)
    assert "Approuver" not in page
    refused = author.post("/gestion/contenus/livret-de-famille/actions/approuver",
                          data={"csrf_token": csrf(page), "lock": lock_of(page)})
    assert refused.status_code == 409
    page = reviewer.get("/gestion/contenus/livret-de-famille").get_data(as_text=True)
    assert reviewer.post("/gestion/contenus/livret-de-famille/actions/renvoyer",
                         data={"csrf_token": csrf(page), "lock": lock_of(page), "text": ""}).status_code == 409
    assert reviewer.post("/gestion/contenus/livret-de-famille/actions/renvoyer",
                         data={"csrf_token": csrf(page), "lock": lock_of(page),
                               "text": "Ajoutez le délai."}).status_code == 302
    page = author.get("/gestion/contenus/livret-de-famille").get_data(as_text=True)
    assert "Ajoutez le délai." in page and "Brouillon" in page


def test_publication_is_refused_while_the_checker_finds_errors(app, make_staff):
    editor, _member = signed_in(app, make_staff, ("editeur", "etat-civil"))
    reviewer, _other = signed_in(app, make_staff, ("relecteur", "etat-civil"))
    draft_saved(app, editor, "declarer-deces", lambda data: data.update(body=data["body"] + "\n\n" + JARGON))
    submit(editor, "declarer-deces")
    page = reviewer.get("/gestion/contenus/declarer-deces").get_data(as_text=True)
    refused = reviewer.post("/gestion/contenus/declarer-deces/actions/approuver",
                            data={"csrf_token": csrf(page), "lock": lock_of(page)})
    assert refused.status_code == 409
    assert "Publication impossible" in refused.get_data(as_text=True)
    assert "afférentes" not in app.test_client().get("/fiches/declarer-deces").get_data(as_text=True)


def test_an_admin_forces_publication_with_a_reason_logged_and_flagged(app, make_staff):
    editor, _member = signed_in(app, make_staff, ("editeur", "etat-civil"))
    admin, _admin = signed_in(app, make_staff, ("admin", None))
    draft_saved(app, editor, "reconnaissance-anticipee",
                lambda data: data.update(body=data["body"] + "\n\nLa mairie est fermée le 24 décembre."))
    page = admin.get("/gestion/contenus/reconnaissance-anticipee").get_data(as_text=True)
    assert admin.post("/gestion/contenus/reconnaissance-anticipee/actions/forcer",
                      data={"csrf_token": csrf(page), "lock": lock_of(page), "text": ""}).status_code == 409
    assert admin.post("/gestion/contenus/reconnaissance-anticipee/actions/forcer",
                      data={"csrf_token": csrf(page), "lock": lock_of(page),
                            "text": "Fermeture exceptionnelle demain."}).status_code == 302
    assert "fermée le 24 décembre" in app.test_client().get("/fiches/reconnaissance-anticipee").get_data(as_text=True)
    listing = admin.get("/gestion/contenus/").get_data(as_text=True)
    assert "Publiée sans relecture : à relire" in listing
    with app.app_context():
        entry = db.session().query(AuditEntry).filter_by(action="fiche_forcer",
                                                         target_id="reconnaissance-anticipee").one()
        assert entry.details["raison"] == "Fermeture exceptionnelle demain."


def test_an_old_version_is_restored_as_a_new_draft(app, make_staff):
    client, _member = signed_in(app, make_staff, ("editeur", "etat-civil"))
    draft_saved(app, client, "mariage-mairie", lambda data: data.update(title="Se marier à la mairie d'Admiville"))
    history = client.get("/gestion/contenus/mariage-mairie/versions").get_data(as_text=True)
    response = client.post("/gestion/contenus/mariage-mairie/versions/1/reprendre", data={"csrf_token": csrf(history)})
    assert response.status_code == 302
    page = client.get("/gestion/contenus/mariage-mairie").get_data(as_text=True)
    assert form_data(page)["title"] != "Se marier à la mairie d'Admiville"
    assert "Reprise de la version 1" in client.get("/gestion/contenus/mariage-mairie/versions").get_data(as_text=True)
    assert client.post("/gestion/contenus/mariage-mairie/versions/99/reprendre",
                       data={"csrf_token": csrf(history)}).status_code == 404


def test_a_new_fiche_starts_with_the_sections_in_order(app, make_staff):
    client, _member = signed_in(app, make_staff, ("editeur", "etat-civil"))
    page = client.get("/gestion/contenus/nouvelle").get_data(as_text=True)
    for slug, status in (("Pas Bon", 400), ("pacs", 400), ("carte-identite", 302)):
        assert client.post("/gestion/contenus/nouvelle", data={"csrf_token": csrf(page), "slug": slug}).status_code == status
    body = form_data(client.get("/gestion/contenus/carte-identite").get_data(as_text=True))["body"]
    headings = re.findall(r"^## (.+)$", body, re.M)
    assert headings == ["Qui est concerné", "Ce que vous devez faire", "Documents à préparer", "Combien ça coûte",
                        "Délai", "Où s'adresser"]


def test_the_preview_uses_the_citizen_article_with_glossary_links(app, make_staff):
    client, _member = signed_in(app, make_staff, ("editeur", "etat-civil"))
    html = client.get("/gestion/contenus/pacs/apercu").get_data(as_text=True)
    assert 'class="fiche"' in html and 'class="terme"' in html and "En bref" in html
    assert "apercu-fiche--telephone" in client.get("/gestion/contenus/pacs/apercu?largeur=telephone").get_data(as_text=True)


@pytest.fixture
def admin_client(app, make_staff):
    """One signed-in admin for all the examples of a property test."""
    return signed_in(app, make_staff, ("admin", None))[0]


typed = st.text(st.characters(blacklist_categories=("Cs",)), max_size=80)


@settings(max_examples=30)
@given(changes=st.fixed_dictionaries({}, optional={name: typed for name in (
    "title", "summary", "life_events", "audience", "owner_service", "sources", "verified", "related_fiches",
    "related_demarches", "keywords", "images", "body", "lock", "note")}))
def test_whatever_is_typed_the_edit_form_answers_without_a_server_error(admin_client, changes):
    client = admin_client
    html = client.get("/gestion/contenus/aide-seniors-admiville").get_data(as_text=True)
    data = dict(form_data(html), faire="enregistrer", **changes)
    response = client.post("/gestion/contenus/aide-seniors-admiville", data=data)
    assert response.status_code in (302, 400, 409)
    if response.status_code != 302:
        assert lock_of(client.get("/gestion/contenus/aide-seniors-admiville").get_data(as_text=True)) == lock_of(html)
    checked = client.post("/gestion/contenus/aide-seniors-admiville/verification", data=data)
    assert checked.status_code == 200


@pytest.fixture
def images(tmp_path, monkeypatch):
    """Images are written to a copy of the content folder."""
    import shutil

    from guichet.paths import CONTENT_DIR
    shutil.copytree(CONTENT_DIR / "images", tmp_path / "images")
    monkeypatch.setattr(content_service, "CONTENT_DIR", tmp_path)
    return tmp_path / "images"


SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>Mairie</title>'
       b'<rect width="10" height="10" fill="#123456"/></svg>')


def test_images_are_checked_sanitised_and_added_to_the_draft(app, make_staff, images):
    import io
    client, _member = signed_in(app, make_staff, ("editeur", "etat-civil"))
    page = client.get("/gestion/contenus/declarer-naissance").get_data(as_text=True)

    def upload(name: str, data: bytes, alt: str = "", decorative: bool = False):
        fields = {"csrf_token": csrf(page), "lock": lock_of(page), "alt": alt,
                  "file": (io.BytesIO(data), name)}
        if decorative:
            fields["decorative"] = "y"
        return client.post("/gestion/contenus/declarer-naissance/images", data=fields,
                           content_type="multipart/form-data")

    cases = [(upload("mairie.svg", SVG), "Décrivez l'image"),
             (upload("script.svg", SVG.replace(b"<title>", b"<script>alert(1)</script><title>"), "Une mairie."),
              "« script » n&#39;est pas autorisé"),
             (upload("lourde.png", b"\x89PNG\r\n\x1a\n" + b"0" * 2_000_000, "Une mairie."), "15 Ko au plus"),
             (upload("faux.png", SVG, "Une mairie."), "pas une image PNG"),
             (upload("a-camion.svg", SVG, "Un camion."), "déjà ce nom")]
    for response, message in cases:
        assert response.status_code == 400, (message, response.headers.get("Location"))
        assert message in response.get_data(as_text=True), message
    assert not (images / "mairie.svg").exists() and not (images / "script.svg").exists()
    assert upload("mairie-neuve.svg", SVG, decorative=True).status_code == 302
    assert (images / "mairie-neuve.svg").read_bytes().startswith(b"<svg")
    body = form_data(client.get("/gestion/contenus/declarer-naissance").get_data(as_text=True))
    assert "mairie-neuve.svg | décorative" in body["images"]


def test_a_reviewer_schedules_publication_and_the_worker_publishes_it_on_time(app, make_staff):
    from datetime import datetime, timedelta, timezone

    from guichet.editorial import editions
    editor, _member = signed_in(app, make_staff, ("editeur", "etat-civil"))
    reviewer, _other = signed_in(app, make_staff, ("relecteur", "etat-civil"))
    sentence = "La mairie est ouverte le samedi matin."
    draft_saved(app, editor, "pacs",
                lambda data: data.update(body=data["body"] + "\n\n" + sentence))
    submit(editor, "pacs")
    page = reviewer.get("/gestion/contenus/pacs").get_data(as_text=True)
    assert 'type="datetime-local"' in page
    past = reviewer.post("/gestion/contenus/pacs/actions/programmer",
                         data={"csrf_token": csrf(page), "lock": lock_of(page), "publish_at": "2020-01-01T08:00"})
    assert past.status_code == 409 and "à venir" in past.get_data(as_text=True)
    tomorrow = (datetime.now() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    assert reviewer.post("/gestion/contenus/pacs/actions/programmer",
                         data={"csrf_token": csrf(page), "lock": lock_of(page), "publish_at": tomorrow}).status_code == 302
    assert "Programmée" in reviewer.get("/gestion/contenus/?etat=programmee").get_data(as_text=True)
    with app.app_context():
        session = db.session()
        assert editions.publish_due(session, datetime.now(timezone.utc)) == (0, 0)
        assert editions.publish_due(session, datetime.now(timezone.utc) + timedelta(days=2)) == (1, 0)
        session.commit()
    assert sentence in app.test_client().get("/fiches/pacs").get_data(as_text=True)
