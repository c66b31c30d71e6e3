"""The queue (/gestion/demandes): tabs, filters, order, pagination, isolation between services, bad filters."""
import html
import itertools
import re
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from guichet import db
from guichet.requests.models import DemarcheRequest
from guichet.requests.queue import PAGE_SIZE
from guichet.requests.submission import search_columns
from tests.gestion.conftest import open_session

_numbers = itertools.count(1)
TODAY = date.today()


@pytest.fixture
def clean(app):
    """Each test starts from an empty list of requests (the session-wide app is shared)."""
    with app.app_context():
        db.session().execute(delete(DemarcheRequest))
        db.session().commit()
    yield


@pytest.fixture
def make_request(app, clean):
    def make(service="etat-civil", demarche="demande-acte-etat-civil", status="recue", owner=None, channel="web",
             due_in=None, received=None, given="Jeanne", family="Dupont", email=None) -> str:
        number = next(_numbers)
        identity = {"identite_prenom": given, "identite_nom": family,
                    "identite_email": email or f"personne{number}@exemple.fr"}
        with app.app_context():
            request = DemarcheRequest(
                reference=f"TST-2026-{number:06d}", tracking_secret_hash="x", idempotency_key=f"test-{number}",
                demarche=demarche, definition_version="1", channel=channel, identity=identity, answers={},
                email=identity["identite_email"], lang="fr", status=status, version=1,
                received_at=received or datetime.now(timezone.utc), service=service,
                owner_id=getattr(owner, "id", owner), decision_due=None if due_in is None else TODAY + timedelta(due_in),
                **search_columns(identity, identity["identite_email"]))
            db.session().add(request)
            db.session().commit()
            return request.reference
    return make


def signed_in(app, member):
    client = app.test_client()
    open_session(app, client, member)
    return client


def references(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/gestion/demandes/([A-Z0-9-]+)">', html)


def test_the_menu_shows_demandes_to_agents_only(app, make_staff):
    agent = make_staff(("agent", "etat-civil"))
    editor = make_staff(("editeur", "etat-civil"))
    assert 'href="/gestion/demandes"' in signed_in(app, agent).get("/gestion/").get_data(as_text=True)
    assert 'href="/gestion/demandes"' not in signed_in(app, editor).get("/gestion/").get_data(as_text=True)
    assert signed_in(app, editor).get("/gestion/demandes").status_code == 403


def test_an_agent_sees_only_the_requests_of_their_services(app, make_staff, make_request):
    agent = make_staff(("agent", "etat-civil"))
    mine = make_request(service="etat-civil")
    other = make_request(service="voirie", demarche="occupation-domaine-public")
    client = signed_in(app, agent)
    page = client.get("/gestion/demandes?onglet=toutes").get_data(as_text=True)
    assert references(page) == [mine]
    assert "Toutes (1)" in page
    csv_text = client.get("/gestion/demandes/export.csv?onglet=toutes").get_data(as_text=True)
    assert mine in csv_text and other not in csv_text
    assert other not in client.get("/gestion/demandes/export.json?onglet=toutes").get_data(as_text=True)
    # Even when asking for the other service by name.
    response = client.get("/gestion/demandes?service=voirie")
    assert response.status_code == 400 and other not in response.get_data(as_text=True)


def test_tabs_and_their_counts(app, make_staff, make_request):
    agent = make_staff(("agent", "etat-civil"))
    colleague = make_staff(("agent", "etat-civil"))
    free = make_request()
    taken = make_request(owner=agent, status="en_instruction")
    theirs = make_request(owner=colleague)
    waiting = make_request(owner=agent, status="incomplete")
    done = make_request(owner=agent, status="acceptee")
    client = signed_in(app, agent)
    expected = {"a-traiter": [free], "mes-demandes": {taken, waiting}, "en-attente": [waiting],
                "terminees": [done], "toutes": {free, taken, theirs, waiting, done}}
    page = client.get("/gestion/demandes").get_data(as_text=True)
    assert references(page) == [free], "the default tab is « à traiter »"
    for label, count in (("À traiter", 1), ("Mes demandes", 2), ("En attente du demandeur", 1), ("Terminées", 1),
                         ("Toutes", 5)):
        assert f"{label} ({count})" in page
    for tab, refs in expected.items():
        found = references(client.get(f"/gestion/demandes?onglet={tab}").get_data(as_text=True))
        assert (set(found) if isinstance(refs, set) else found) == refs, tab


def test_nearest_legal_deadline_first_then_oldest(app, make_staff, make_request):
    agent = make_staff(("agent", "etat-civil"))
    old = datetime.now(timezone.utc) - timedelta(days=20)
    no_deadline_old = make_request(received=old)
    no_deadline_new = make_request()
    later = make_request(due_in=30)
    overdue = make_request(due_in=-2)
    soon_new = make_request(due_in=5)
    soon_old = make_request(due_in=5, received=old)
    page = signed_in(app, agent).get("/gestion/demandes").get_data(as_text=True)
    assert references(page) == [overdue, soon_old, soon_new, later, no_deadline_old, no_deadline_new]
    assert "dépassée de 2 jours" in page and "dans 5 jours" in page and "Aucune" in page


def test_filters(app, make_staff, make_request):
    agent = make_staff(("agent", "etat-civil"), ("agent", "education"))
    colleague = make_staff(("agent", "etat-civil"))
    march = datetime(2026, 3, 10, 12, tzinfo=timezone.utc)
    marie = make_request(given="Marie-Hélène", family="Lefèvre", email="mh.lefevre@exemple.fr", channel="guichet",
                         received=march, due_in=3)
    cantine = make_request(service="education", demarche="inscription-cantine", status="en_instruction",
                           owner=colleague, due_in=40)
    phone = make_request(channel="telephone", owner=agent)
    client = signed_in(app, agent)

    def found(query):
        response = client.get(f"/gestion/demandes?onglet=toutes&{query}")
        assert response.status_code == 200, query
        return set(references(response.get_data(as_text=True)))
    assert found("statut=en_instruction") == {cantine}
    assert found("demarche=inscription-cantine") == {cantine}
    assert found("service=education") == {cantine}
    assert found(f"responsable={colleague.id}") == {cantine}
    assert found("responsable=moi") == {phone}
    assert found("responsable=personne") == {marie}
    assert found("canal=telephone") == {phone}
    assert found("echeance=7") == {marie}
    assert found("recue_du=2026-03-10&recue_au=2026-03-10") == {marie}
    assert found("recue_du=01/03/2026&recue_au=31/03/2026") == {marie}
    assert found("texte=lefevre") == {marie}, "accents do not matter"
    assert found("texte=H%C3%A9l%C3%A8ne") == {marie}
    assert found("texte=MH.LEFEVRE@") == {marie}
    assert found(f"texte={phone.lower()}") == {phone}
    assert found("texte=%25") == set(), "% is a character, not a wildcard"
    assert found("texte=lefevre&canal=telephone") == set()


def test_pagination(app, make_staff, make_request):
    agent = make_staff(("agent", "etat-civil"))
    made = [make_request(due_in=day) for day in range(PAGE_SIZE + 3)]
    client = signed_in(app, agent)
    first = client.get("/gestion/demandes").get_data(as_text=True)
    second = client.get("/gestion/demandes?page=2").get_data(as_text=True)
    assert references(first) == made[:PAGE_SIZE] and references(second) == made[PAGE_SIZE:]
    assert 'href="/gestion/demandes?onglet=a-traiter&amp;page=2"' in first or "page=2" in first
    assert client.get("/gestion/demandes?page=3").status_code == 400


@pytest.mark.parametrize("query, message", [
    ("statut=inconnu", "Ce statut n'existe pas"),
    ("onglet=corbeille", "Cet onglet n'existe pas"),
    ("recue_du=2026-13-45", "Écrivez une date qui existe"),
    ("recue_au=31/02/2026", "Écrivez une date qui existe"),
    ("recue_du=2026-03-02&recue_au=2026-03-01", "La date de fin doit être après la date de début"),
    ("echeance=-1", "Écrivez un nombre de jours entre 0 et 3650"),
    ("echeance=" + "9" * 31, "Écrivez un nombre de jours entre 0 et 3650"),
    ("page=0", "Cette page n'existe pas"),
    ("page=" + "9" * 40, "Cette page n'existe pas"),
    ("page=5", "Cette page n'existe pas"),
    ("responsable=999999", "Cette personne ne travaille pas dans vos services"),
    ("texte=" + "a" * 201, "200 caractères au plus"),
])
def test_bad_filters_get_a_french_message_and_400(app, make_staff, clean, query, message):
    agent = make_staff(("agent", "etat-civil"))
    client = signed_in(app, agent)
    response = client.get(f"/gestion/demandes?{query}")
    assert response.status_code == 400
    assert message in html.unescape(response.get_data(as_text=True))
    assert client.get(f"/gestion/demandes/export.csv?{query.replace('page=5', 'statut=x')}").status_code == 400


def test_htmx_gets_the_same_page_with_the_list_to_swap(app, make_staff, make_request):
    agent = make_staff(("agent", "etat-civil"))
    reference = make_request()
    page = signed_in(app, agent).get("/gestion/demandes", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'id="resultats-demandes"' in page and reference in page
    assert 'data-hx-get="/gestion/demandes"' in page and 'data-hx-push-url="true"' in page
    assert 'data-hx-select="#resultats-demandes"' in page and 'method="get" action="/gestion/demandes"' in page


QUERY_VALUES = st.one_of(st.text(max_size=40), st.integers(-10**30, 10**30).map(str),
                         st.dates().map(str), st.sampled_from(["", "toutes", "recue", "moi", "personne", "web"]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.dictionaries(st.sampled_from(["onglet", "statut", "demarche", "service", "responsable", "canal",
                                               "echeance", "recue_du", "recue_au", "texte", "page"]),
                              QUERY_VALUES, max_size=6))
def test_no_filter_value_gives_a_server_error(app, make_staff, values):
    client = signed_in(app, make_staff(("agent", "etat-civil"), password=None))
    for path in ("/gestion/demandes", "/gestion/demandes/export.json"):
        response = client.get(path, query_string=values)
        assert response.status_code in (200, 400), (values, response.status_code)
