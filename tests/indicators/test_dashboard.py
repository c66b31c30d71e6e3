"""The town's dashboard: only supervisors and admins; on demo data the worst step and its reason show at once;
the Observatoire CSV; the satisfaction card with its QR code."""
import csv
import io
import re
from html import unescape

import pytest
from sqlalchemy import select

from guichet import db
from guichet.audit.models import AuditEntry
from guichet.demarches.catalogue import catalogue
from guichet.indicators import dashboard, demo
from guichet.indicators.models import SatisfactionInvite
from guichet.indicators.observatoire import COLUMNS
from tests.gestion.conftest import make_staff, open_session  # noqa: F401 (fixture)


@pytest.fixture(scope="module")
def demo_data(app):
    with app.app_context():
        session = db.session()
        demo.ensure_demo_indicators(session, catalogue().all())
        session.commit()
        assert demo.ensure_demo_indicators(session, catalogue().all()) == 0  # idempotent
        return {item.slug: demo.hard_step(item) for item in catalogue().all()}


@pytest.fixture
def supervisor(app, make_staff):  # noqa: F811
    client = app.test_client()
    open_session(app, client, make_staff(("superviseur", "etat-civil")))
    return client


def test_agents_and_editors_may_not_open_the_dashboard(app, make_staff):  # noqa: F811
    for role in (("agent", "etat-civil"), ("editeur", "etat-civil")):
        client = app.test_client()
        open_session(app, client, make_staff(role))
        assert client.get("/gestion/indicateurs/").status_code == 403
        assert client.get("/gestion/indicateurs/observatoire.csv").status_code == 403


def test_on_demo_data_the_worst_step_and_what_people_said_there_show_at_once(app, supervisor, demo_data):
    slug = "inscription-cantine"
    response = supervisor.get(f"/gestion/indicateurs/?demarche={slug}")
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    with app.app_context():
        titles = dashboard.step_titles(catalogue().get(slug))
    summary = re.search(r"Les personnes partent le plus à l'étape « ([^»]+) »", html)
    assert summary and summary.group(1) == titles[demo_data[slug]]
    assert "Raison la plus signalée" in html and "(étape la plus quittée)" in html
    assert "Ce type de fichier n'est pas accepté." in html or "Mon fichier est refusé" in html
    assert '<svg class="graphique__dessin"' in html and "<table>" in html
    assert html.count('<section class="graphique"') == 3 and "<h3 id=\"graphique-abandons\">Taux d'abandon par étape</h3>" in html
    assert "Note de satisfaction sur 10" in html and "carte grise" in html


def test_bad_filters_give_400_and_a_french_message(supervisor):
    response = supervisor.get("/gestion/indicateurs/?depuis=2026-13-45")
    assert response.status_code == 400 and "Écrivez une date complète" in unescape(response.get_data(as_text=True))
    response = supervisor.get("/gestion/indicateurs/?depuis=2026-05-01&jusqu_au=2026-01-01")
    assert response.status_code == 400
    assert supervisor.get("/gestion/indicateurs/?demarche=inconnue").status_code == 400
    assert supervisor.get("/gestion/indicateurs/?canal=pigeon").status_code == 400


def test_the_observatoire_export_is_a_csv_in_that_shape_and_audited(app, supervisor, demo_data):
    response = supervisor.get("/gestion/indicateurs/observatoire.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert tuple(rows[0]) == COLUMNS
    with app.app_context():
        assert {row[0] for row in rows[1:]} == {item.slug for item in catalogue().all()}
        assert db.session().scalar(select(AuditEntry).where(AuditEntry.action == "export_observatoire"))
    cantine = next(row for row in rows[1:] if row[0] == "inscription-cantine")
    assert 0 <= float(cantine[COLUMNS.index("satisfaction_sur_10")]) <= 10
    assert cantine[COLUMNS.index("disponibilite")] == "non mesuré"


def test_an_agent_prints_a_card_with_a_qr_code_and_a_short_link(app, make_staff):  # noqa: F811
    client = app.test_client()
    open_session(app, client, make_staff(("agent", "etat-civil")))
    page = client.get("/gestion/indicateurs/carte-avis").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    with app.app_context():
        before = len(db.session().scalars(select(SatisfactionInvite)).all())
    bad = client.post("/gestion/indicateurs/carte-avis", data={"csrf_token": token, "canal": "pigeon"})
    assert bad.status_code == 400
    with app.app_context():
        assert len(db.session().scalars(select(SatisfactionInvite)).all()) == before
    made = client.post("/gestion/indicateurs/carte-avis", data={"csrf_token": token, "canal": "guichet",
                                                                 "demarche": "inscription-cantine"})
    assert made.status_code == 302
    card = client.get(made.headers["Location"]).get_data(as_text=True)
    code = made.headers["Location"].rsplit("/", 1)[1]
    assert f"/avis/{code}" in card and '<svg role="img"' in card and 'stroke="currentColor"' in card
    assert client.get("/gestion/indicateurs/carte-avis/AAAAAAAA").status_code == 404
    assert app.test_client().get(f"/avis/{code}").status_code == 200


def test_no_result_searches_are_counted_by_folded_query_and_never_for_live_results(app, supervisor):
    citizen = app.test_client()
    for query in ("Zzxq Introuvable", "zzxq   introuvable", "ZZXQ introuvablé"):
        citizen.get("/recherche", query_string={"q": query})
    citizen.get("/recherche", query_string={"q": "zzxq introuvable"}, headers={"HX-Request": "true",
                                                                                 "HX-Target": "resultats"})
    html = unescape(supervisor.get("/gestion/indicateurs/").get_data(as_text=True))
    assert '<th scope="row">zzxq introuvable</th><td>3</td>' in html
