"""Practice mode (nothing stored beyond the session) and help point mode (short idle limit, "Effacer et quitter")."""
import re
from datetime import timedelta

from sqlalchemy import func, select

from a11y.walker import STEP_RE, page_data, submit, token_of, walk_to_check
from guichet import db
from guichet.demarches import flow
from guichet.demarches.catalogue import catalogue
from guichet.demarches.models import Draft, StoredFile
from guichet.feedback.models import FunnelEvent
from guichet.mail.models import OutboxMessage
from guichet.requests.models import DemarcheRequest

PRACTICE_BANNER = "Entraînement — rien n'est envoyé"


def demarche(app, slug):
    with app.app_context():
        return catalogue().get(slug)


def counts(app):
    with app.app_context():
        return {model.__name__: db.session().scalar(select(func.count()).select_from(model))
                for model in (DemarcheRequest, OutboxMessage, Draft, StoredFile, FunnelEvent)}


def practise_to_check(client, item):
    """Start in practice mode and walk to the check page; every step page's HTML."""
    html = client.get(f"/demarches/{item.slug}").get_data(as_text=True)
    assert "M'entraîner, sans rien envoyer" in html
    response = client.post(f"/demarches/{item.slug}/commencer",
                           data={"csrf_token": token_of(html), "mode": "entrainement"})
    pages = []
    for _ in range(60):
        location = response.headers["Location"]
        shown = client.get(location)
        if shown.status_code == 302:  # a repeated page's list leads to its first item
            response = shown
            continue
        html = shown.get_data(as_text=True).replace("&#39;", "'")
        if location.endswith("/verifier"):
            return pages, html
        pages.append(html)
        page = next(page for page in flow.all_pages(item) if page.id == STEP_RE.search(location).group(1))
        if "/groupe/" in location:
            response = client.post(location, data={"csrf_token": token_of(html)})
        else:
            response = client.post(location, data=page_data(page, token_of(html), all_files=True),
                                   content_type="multipart/form-data")
    raise AssertionError("the practice never reached the check page")


def test_practice_shows_its_banner_everywhere_and_leaves_nothing_stored(app):
    client = app.test_client()
    item = demarche(app, "inscription-cantine")  # it has files: they are stored during the practice, then erased
    before = counts(app)
    pages, check_html = practise_to_check(client, item)
    assert pages and all(PRACTICE_BANNER in html for html in pages + [check_html])
    assert all("Enregistrer et reprendre plus tard" not in html for html in pages)
    assert "Finir l'entraînement (rien n'est envoyé)" in check_html
    with app.app_context():
        assert db.session().scalar(select(func.count()).select_from(StoredFile)) > before["StoredFile"]
    done = submit(client, item, check_html)
    assert done.status_code == 302 and done.headers["Location"].endswith("/entrainement-fini")
    html = client.get(done.headers["Location"]).get_data(as_text=True).replace("&#39;", "'")
    assert "Rien n'est envoyé à la mairie" in html and "ADM-" not in html
    assert counts(app) == before, "no request, no email, no draft, no file, no funnel event"
    assert client.get_cookie(f"brouillon-{item.slug}") is None
    assert client.get(f"/demarches/{item.slug}/accuse-de-reception").status_code == 302


def test_practice_answers_cannot_be_saved_with_a_code(app):
    client = app.test_client()
    item = demarche(app, "signaler-probleme-voie-publique")
    html = client.get(f"/demarches/{item.slug}").get_data(as_text=True)
    client.post(f"/demarches/{item.slug}/commencer", data={"csrf_token": token_of(html), "mode": "entrainement"})
    response = client.get(f"/demarches/{item.slug}/enregistrer")
    assert response.status_code == 400 and "rien n'est gardé" in response.get_data(as_text=True).replace("&#39;", "'")
    with app.app_context():
        assert db.session().scalars(select(Draft.resume_code).where(Draft.practice.is_(True))).all() in ([], [None])


def test_a_help_point_has_the_short_idle_limit(app):
    client = app.test_client()
    client.get("/?poste=accueil")
    item = demarche(app, "changement-adresse")
    walk_to_check(client, item)
    draft_id = client.get_cookie(f"brouillon-{item.slug}").value
    with app.app_context():
        draft = db.session().get(Draft, draft_id)
        assert draft.help_point and draft.shared
        minutes = app.config["HELP_POINT_IDLE_MINUTES"]
        assert minutes < app.config["DRAFT_IDLE_MINUTES"]
        draft.last_seen_at = draft.last_seen_at - timedelta(minutes=minutes, seconds=5)
        db.session().commit()
    response = client.get(f"/demarches/{item.slug}/verifier")
    assert response.status_code == 302 and "raison=partage" in response.headers["Location"]
    assert f"{minutes} minutes" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_the_receipt_on_a_shared_computer_ends_with_erase_and_leave(app):
    client = app.test_client()
    client.get("/?poste=accueil")
    item = demarche(app, "changement-adresse")
    location = submit(client, item, walk_to_check(client, item)).headers["Location"]
    html = client.get(location).get_data(as_text=True)
    assert "Effacer et quitter" in html and 'class="encart encart--attention quitter"' in html
    form = re.search(r'<form method="post" action="(/demarches/[a-z-]+/quitter)">', html).group(1)
    refused = client.post(form, data={})
    assert refused.status_code == 400 and "ADM-" in client.get(location).get_data(as_text=True)
    left = client.post(form, data={"csrf_token": token_of(html)})
    assert left.status_code == 302 and left.headers["Location"].endswith("/efface")
    assert client.get(location).status_code == 302, "the next person cannot open the receipt"


def test_the_receipt_on_ones_own_device_has_no_erase_and_leave(app):
    client = app.test_client()
    item = demarche(app, "changement-adresse")
    html = client.get(submit(client, item, walk_to_check(client, item)).headers["Location"]).get_data(as_text=True)
    assert "Effacer et quitter" not in html
