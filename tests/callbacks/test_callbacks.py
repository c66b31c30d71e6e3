""""Être rappelé par un agent": from any page by a plain link, into the right service's queue, handled there."""
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guichet import db
from guichet.audit.models import AuditEntry
from guichet.callbacks import service as callbacks
from guichet.callbacks.models import CallbackRequest
from guichet.demarches.catalogue import catalogue
from guichet.mail.models import OutboxMessage
from guichet.web.ratelimit import RateLimitHit
from a11y.walker import start, token_of
from tests.gestion.conftest import open_session

GOOD = {"nom": "Paul Martin", "telephone": "06 12 34 56 78", "objet": "Ma carte d'identité"}


@pytest.fixture(autouse=True)
def no_callbacks(app):
    def empty():
        with app.app_context():
            db.session().query(CallbackRequest).delete()
            db.session().commit()
    empty()
    yield
    empty()


def ask(client, origin="/aide", **fields):
    page = client.get(f"/rappel/?depuis={origin}").get_data(as_text=True)
    return client.post("/rappel/", data={"csrf_token": token_of(page), "depuis": origin, **(fields or GOOD)})


def stored(app) -> list[CallbackRequest]:
    with app.app_context():
        return db.session().query(CallbackRequest).order_by(CallbackRequest.id).all()


@pytest.mark.parametrize("page, service", [
    ("/demarches/inscription-cantine/etape/enfant_nom", "education"),
    ("/fiches/inscription-listes-electorales", "elections"),
    ("/rendez-vous/voirie/2030-01-08", "voirie"),
    ("/aide", "accueil"),
    ("/rendez-vous/inconnu", "accueil"),
    (None, "accueil"),
])
def test_the_service_comes_from_the_page_the_person_came_from(app, page, service):
    with app.app_context():
        assert callbacks.service_for_page(db.session(), page, app.config["SETTINGS"]["services"]) == service


def test_a_call_back_from_a_fiche_has_its_subject_prefilled_and_is_confirmed_by_email(app, client):
    page = client.get("/rappel/?depuis=/fiches/inscription-listes-electorales").get_data(as_text=True)
    assert re.search(r'id="objet"[^>]*value="[^"]*liste', page, flags=re.I)
    sent = ask(client, "/fiches/inscription-listes-electorales", **GOOD, email="paul@exemple.fr",
               jours=["lundi", "jeudi"], moments=["matin"])
    assert sent.status_code == 302
    done = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "Un agent va vous rappeler" in done and 'href="/fiches/inscription-listes-electorales"' in done
    (row,) = stored(app)
    assert (row.service, row.days, row.periods) == ("elections", ["lundi", "jeudi"], ["matin"])
    assert row.status == "a-rappeler"
    with app.app_context():
        message = db.session().query(OutboxMessage).order_by(OutboxMessage.id.desc()).first()
        assert message.recipient == "paul@exemple.fr" and "06 12 34 56 78" in message.body


def test_every_step_links_to_the_call_back_page_and_the_answers_stay(app):
    client = app.test_client()
    with app.app_context():
        demarche = catalogue().get("ecrire")
    step = start(client, demarche).headers["Location"]
    html = client.get(step).get_data(as_text=True)
    assert f'href="/rappel/?depuis={step}"' in html
    link_at = html.index('href="/rappel/')
    assert html.rfind("<form", 0, link_at) < html.rfind("</form>", 0, link_at)  # a link, outside the step's form
    answered = client.post(step, data={"csrf_token": token_of(html), "action": "continuer", "sujet": "ecole"})
    assert answered.status_code == 302
    assert ask(client, step).status_code == 302
    assert re.search(r'value="ecole" checked', client.get(step).get_data(as_text=True))
    assert stored(app)[0].service == "accueil"


def test_bad_input_gets_a_clear_message_a_4xx_and_keeps_nothing(app, client):
    for fields, message in [
        ({**GOOD, "telephone": "12 34"}, "numéro de téléphone français"),
        ({**GOOD, "nom": " "}, "Écrivez votre nom"),
        ({**GOOD, "objet": ""}, "Écrivez le sujet"),
        ({**GOOD, "jours": ["dimanche"]}, "Choisissez des jours dans la liste"),
        ({**GOOD, "message": "x" * 1001}, "trop long"),
    ]:
        answer = ask(client, **fields)
        assert answer.status_code == 400
        assert answer.headers["Cache-Control"] == "no-store"
        text = answer.get_data(as_text=True)
        assert message in text, fields
        assert 'value="Paul Martin"' in text or not fields["nom"].strip()
    assert ask(client, "https://ailleurs.example/page").status_code == 400
    assert stored(app) == []


def test_call_backs_are_rate_limited(app):
    with app.app_context():
        db.session().query(RateLimitHit).filter_by(bucket="rappel").delete()
        db.session().commit()
    app.config["RATE_LIMIT_CALLBACKS"] = (2, 3600)
    try:
        client = app.test_client()
        assert [ask(client).status_code for _ in range(3)] == [302, 302, 429]
    finally:
        app.config["RATE_LIMIT_CALLBACKS"] = (10_000, 600)
    assert len(stored(app)) == 2


@given(name=st.text(max_size=220), phone=st.text(max_size=40), subject=st.text(max_size=320),
       email=st.text(max_size=60), days=st.lists(st.sampled_from(["lundi", "samedi", "x"]), max_size=3))
def test_any_typed_call_back_is_stored_or_refused_with_a_4xx(app, name, phone, subject, email, days):
    client = app.test_client()
    before = len(stored(app))
    answer = ask(client, nom=name, telephone=phone, objet=subject, email=email, jours=days)
    assert answer.status_code in (302, 400)
    assert len(stored(app)) == before + (answer.status_code == 302)


def test_the_agent_of_the_service_records_the_outcome_others_do_not_see_it(app, make_staff):
    ask(app.test_client(), "/fiches/inscription-listes-electorales")
    (row,) = stored(app)
    agent = app.test_client()
    open_session(app, agent, make_staff(("agent", "elections")))
    queue = agent.get("/gestion/rappels/").get_data(as_text=True)
    assert "Paul Martin" in queue and "06 12 34 56 78" in queue
    csrf = token_of(queue)
    prefix = f"rappel-{row.id}"
    not_reached = agent.post(f"/gestion/rappels/{row.id}", data={f"{prefix}-csrf_token": csrf,
                                                                 f"{prefix}-outcome": "injoignable",
                                                                 f"{prefix}-note": "Messagerie pleine"})
    assert not_reached.status_code == 302
    assert "06 12 34 56 78" in agent.get("/gestion/rappels/").get_data(as_text=True)  # still to call
    bad = agent.post(f"/gestion/rappels/{row.id}", data={f"{prefix}-csrf_token": csrf, f"{prefix}-outcome": "?"})
    assert bad.status_code == 400
    done = agent.post(f"/gestion/rappels/{row.id}", data={f"{prefix}-csrf_token": csrf, f"{prefix}-outcome": "fait",
                                                          f"{prefix}-note": "Réponse donnée"})
    assert done.status_code == 302
    assert "06 12 34 56 78" not in agent.get("/gestion/rappels/").get_data(as_text=True)
    (row,) = stored(app)
    assert (row.status, row.attempts, row.note) == ("fait", 2, "Messagerie pleine\nRéponse donnée")
    with app.app_context():
        assert db.session().query(AuditEntry).filter_by(action="rappel_traite", target_id=str(row.id)).count() == 2
    other = app.test_client()
    open_session(app, other, make_staff(("agent", "voirie")))
    other_page = other.get("/gestion/rappels/?tous=1").get_data(as_text=True)
    assert "06 12 34 56 78" not in other_page
    assert other.post(f"/gestion/rappels/{row.id}", data={f"{prefix}-csrf_token": token_of(other_page),
                                                          f"{prefix}-outcome": "fait"}).status_code == 404


def test_old_call_backs_and_appointments_are_erased_by_the_worker(app):
    from datetime import timedelta

    from guichet.db import utcnow
    from guichet.worker.jobs import JOBS
    job = next(job for job in JOBS if job.name == "rendez-vous-et-rappels")
    now = utcnow()
    with app.app_context():
        session = db.session()
        for handled, created in ((now - timedelta(days=100), now - timedelta(days=101)),
                                 (now - timedelta(days=10), now - timedelta(days=11)),
                                 (None, now - timedelta(days=400)),
                                 (None, now - timedelta(days=30))):
            session.add(CallbackRequest(service="accueil", name="X", phone="0612345678", subject="S",
                                        handled_at=handled, created_at=created))
        session.commit()
        assert job.run(session, now).endswith("2 call-backs erased")
        assert len(session.query(CallbackRequest).all()) == 2
