"""The audit trail viewer: roles, filters, pagination, CSV export (itself audited), the chain check."""
import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from guichet import db
from guichet.audit import log as audit
from guichet.audit.models import AuditEntry
from tests.gestion.conftest import open_session


def signed_in(app, make_staff, *roles):
    client = app.test_client()
    open_session(app, client, make_staff(*roles))
    return client


@pytest.fixture
def dpo(app, make_staff):
    return signed_in(app, make_staff, ("dpo", None))


def record(app, action, target_id, count=1):
    with app.app_context():
        for _ in range(count):
            audit.record(db.session(), action, "agent.filtre@admiville.test", "request", target_id, {"n": 1})
        db.session().commit()


@pytest.mark.parametrize("roles, expected", [((("dpo", None),), 200), ((("admin", None),), 200),
                                             ((("agent", "etat-civil"),), 403),
                                             ((("superviseur", "etat-civil"),), 403)])
def test_only_dpo_and_admin_read_the_journal(app, make_staff, roles, expected):
    client = signed_in(app, make_staff, *roles)
    for path in ("/gestion/journal/", "/gestion/journal/export.csv", "/gestion/journal/integrite"):
        assert client.get(path).status_code == expected, path


def test_filters_and_pagination(app, dpo):
    record(app, "filtre_test_action", "ADM-2026-424242", count=60)
    html = dpo.get("/gestion/journal/?action=filtre_test_action").get_data(as_text=True)
    assert "60 entrées" in html and "page 1 sur 2" in html and 'rel="next"' in html
    second = dpo.get("/gestion/journal/?action=filtre_test_action&page=2").get_data(as_text=True)
    assert "page 2 sur 2" in second and second.count("ADM-2026-424242") == 10
    assert "60 entrées" in dpo.get("/gestion/journal/?acteur=FILTRE&cible=ADM-2026-424242&cible_type=request") \
        .get_data(as_text=True)
    assert "0 entrée" in dpo.get("/gestion/journal/?action=filtre_test_action&depuis=2000-01-01&jusqu_au=2000-01-02") \
        .get_data(as_text=True)


@pytest.mark.parametrize("query", ["action=inconnue", "depuis=2026-13-45", "depuis=2026-12-10&jusqu_au=2026-12-01",
                                   "page=0", "page=abc", "acteur=" + "x" * 300])
def test_bad_filters_get_a_french_message_and_400(dpo, query):
    response = dpo.get(f"/gestion/journal/?{query}")
    assert response.status_code == 400 and "Il y a un problème" in response.get_data(as_text=True)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(["action", "acteur", "cible_type", "cible", "depuis", "jusqu_au", "page"]),
                       st.text(max_size=40), max_size=7))
def test_any_filter_values_give_200_or_400(dpo, params):
    assert dpo.get("/gestion/journal/", query_string=params).status_code in (200, 400)
    assert dpo.get("/gestion/journal/export.csv", query_string=params).status_code in (200, 400)


def test_csv_export_is_the_filtered_list_and_is_audited(app, dpo):
    record(app, "export_test_action", "ADM-2026-515151", count=3)
    response = dpo.get("/gestion/journal/export.csv?action=export_test_action")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[0][:4] == ["position", "date", "qui", "action"] and len(rows) == 4
    assert {row[3] for row in rows[1:]} == {"export_test_action"}
    with app.app_context():
        entry = db.session().scalar(select(AuditEntry).where(AuditEntry.action == "export_journal")
                                    .order_by(AuditEntry.id.desc()).limit(1))
    assert entry.details == {"filtres": {"action": "export_test_action"}, "lignes": 3}


def test_chain_status_intact_then_broken(tmp_path):
    """On a database of its own: other tests may leave the shared chain in any state."""
    from tests.conftest import build_app
    app = build_app(f"sqlite:///{tmp_path / 'chain.sqlite3'}")
    client = app.test_client()
    with app.app_context():
        from guichet.staff.models import StaffMember, StaffRole
        member = StaffMember(email="dpo.chaine@admiville.test", given_name="Dom", family_name="Po", failed_attempts=0,
                             roles=[StaffRole(role="dpo", service=None)])
        db.session().add(member)
        db.session().commit()
        open_session(app, client, member)
    record(app, "avant_chaine_test", "1", count=3)
    record(app, "chaine_test", "1")
    with app.app_context():
        audit.seal(db.session())
    html = client.get("/gestion/journal/integrite").get_data(as_text=True)
    assert "Le journal est intact" in html
    with app.app_context():
        session = db.session()
        audit.seal(session)
        position = session.scalar(select(AuditEntry.position).where(AuditEntry.action == "chaine_test"))
        session.execute(update(AuditEntry).where(AuditEntry.position == position).values(actor="quelqu'un d'autre"))
        session.commit()
    html = client.get("/gestion/journal/integrite").get_data(as_text=True)
    assert "Le journal a été modifié" in html and f"Entrée {position} :" in html
    assert f"entrée {position - 1}, du " in html and "Il est intact jusqu" in html
