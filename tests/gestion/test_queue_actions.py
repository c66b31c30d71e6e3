"""Exports of the filtered list (content, formula safety, audit) and taking/assigning requests (the rule, traces)."""
import csv
import io
import json

import pytest
from sqlalchemy import select

from guichet import db
from guichet.audit.models import AuditEntry
from guichet.gestion.views.queue import safe_cell
from guichet.requests.assignment import may_assign
from guichet.requests.models import DemarcheRequest, RequestEvent
from tests.conftest import csrf_token
from tests.gestion.test_queue import clean, make_request, signed_in  # noqa: F401  (fixtures)


def audit_entries(app, action: str) -> list[AuditEntry]:
    with app.app_context():
        return list(db.session().scalars(select(AuditEntry).where(AuditEntry.action == action)
                                         .order_by(AuditEntry.id)))


def test_csv_export_is_the_filtered_list_with_bom_semicolons_and_no_formula(app, make_staff, make_request):
    agent = make_staff(("agent", "etat-civil"))
    risky = make_request(given="=HYPERLINK(\"http://x\")", family="-Dupont", due_in=3)
    make_request(channel="telephone")
    response = signed_in(app, agent).get("/gestion/demandes/export.csv?onglet=toutes&canal=web")
    assert response.status_code == 200 and response.is_streamed
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"].startswith("no-store") or "no-store" in response.headers["Cache-Control"]
    raw = response.get_data()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["reference", "demarche", "service"]
    assert len(rows) == 2 and rows[1][0] == risky
    assert rows[1][3] == "'=HYPERLINK(\"http://x\") -Dupont"
    assert rows[1][7] == "Reçue" and rows[1][10] == "3"


@pytest.mark.parametrize("value, expected", [("=1+1", "'=1+1"), ("+33 6", "'+33 6"), ("-2", "'-2"), ("@SUM", "'@SUM"),
                                             ("Dupont", "Dupont"), (None, ""), (5, "5"), ("a=b", "a=b")])
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_json_export_and_every_export_is_audited(app, make_staff, make_request):
    agent = make_staff(("agent", "etat-civil"))
    first = make_request(due_in=1)
    second = make_request(due_in=2)
    make_request(service="voirie", demarche="occupation-domaine-public")
    before = len(audit_entries(app, "export_demandes"))
    client = signed_in(app, agent)
    data = json.loads(client.get("/gestion/demandes/export.json?onglet=toutes&texte=TST").get_data(as_text=True))
    assert [row["reference"] for row in data] == [first, second]
    assert data[0]["nom"] == "Jeanne Dupont" and data[0]["jours_restants"] == 1
    client.get("/gestion/demandes/export.csv")
    entries = audit_entries(app, "export_demandes")[before:]
    assert [(entry.details["format"], entry.details["lignes"]) for entry in entries] == [("json", 2), ("csv", 2)]
    assert entries[0].details["filtres"] == {"onglet": "toutes", "texte": "TST"}
    assert entries[0].actor_id == agent.id


# (actor's roles in the request's service, current owner, new owner) -> allowed; the actor is "me".
RULES = [
    ({"superviseur"}, None, "me", True),
    ({"superviseur"}, "other", "me", True),
    ({"superviseur"}, "other", "third", True),
    ({"superviseur"}, None, "third", True),
    ({"agent"}, None, "me", True),
    ({"agent"}, "me", "me", True),
    ({"agent"}, "me", "other", True),
    ({"agent"}, "other", "me", False),
    ({"agent"}, "other", "third", False),
    ({"agent"}, None, "other", False),
    (set(), None, "me", False),
    ({"editeur"}, None, "me", False),
]


@pytest.mark.parametrize("roles, owner, new_owner, allowed", RULES)
def test_who_may_assign(roles, owner, new_owner, allowed):
    ids = {"me": 1, "other": 2, "third": 3, None: None}
    assert may_assign(1, roles, ids[owner], ids[new_owner]) is allowed


def owner_of(app, reference):
    with app.app_context():
        return db.session().scalar(select(DemarcheRequest.owner_id).where(DemarcheRequest.reference == reference))


def post_assign(client, data):
    token = csrf_token(client, "/gestion/demandes")
    return client.post("/gestion/demandes/attribuer", data={"csrf_token": token, **data})


def test_an_agent_takes_one_request_then_the_checked_ones(app, make_staff, make_request):
    agent = make_staff(("agent", "etat-civil"))
    one, two, three = make_request(), make_request(), make_request()
    client = signed_in(app, agent)
    response = post_assign(client, {"seule": one, "retour": "/gestion/demandes?onglet=toutes"})
    assert response.status_code == 302 and response.headers["Location"] == "/gestion/demandes?onglet=toutes"
    assert owner_of(app, one) == agent.id
    response = post_assign(client, {"demandes": [two, three], "action": "prendre", "retour": "https://evil.test"})
    assert response.headers["Location"] == "/gestion/demandes"
    assert owner_of(app, two) == owner_of(app, three) == agent.id
    with app.app_context():
        events = list(db.session().scalars(select(RequestEvent).where(RequestEvent.kind == "assignation")))
    assert len([event for event in events if event.actor_id == agent.id]) == 3
    assert len([entry for entry in audit_entries(app, "demande_attribuee") if entry.target_id in (one, two, three)]) == 3
    assert "2 demande(s) attribuée(s) à Camille Martin" in client.get("/gestion/demandes").get_data(as_text=True)


def test_an_agent_gives_their_own_request_but_never_takes_a_colleagues(app, make_staff, make_request):
    agent = make_staff(("agent", "etat-civil"))
    colleague = make_staff(("agent", "etat-civil"))
    mine = make_request(owner=agent)
    theirs = make_request(owner=colleague)
    client = signed_in(app, agent)
    assert post_assign(client, {"demandes": [mine], "action": "attribuer", "agent": colleague.id}).status_code == 302
    assert owner_of(app, mine) == colleague.id
    response = post_assign(client, {"demandes": [theirs], "action": "prendre"})
    assert response.status_code == 400 and "un superviseur peut tout" in response.get_data(as_text=True)
    assert owner_of(app, theirs) == colleague.id


def test_a_superviseur_reassigns_anything_in_their_services(app, make_staff, make_request):
    boss = make_staff(("superviseur", "etat-civil"))
    agent = make_staff(("agent", "etat-civil"))
    colleague = make_staff(("agent", "etat-civil"))
    reference = make_request(owner=agent)
    assert post_assign(signed_in(app, boss), {"demandes": [reference], "action": "attribuer",
                                              "agent": colleague.id}).status_code == 302
    assert owner_of(app, reference) == colleague.id


def test_a_colleague_of_another_service_is_refused_and_nothing_changes(app, make_staff, make_request):
    boss = make_staff(("superviseur", "etat-civil"), ("superviseur", "voirie"))
    road_agent = make_staff(("agent", "voirie"))
    fine = make_request(service="voirie", demarche="occupation-domaine-public")
    wrong = make_request()
    response = post_assign(signed_in(app, boss), {"demandes": [fine, wrong], "action": "attribuer",
                                                  "agent": road_agent.id})
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "ne travaille pas dans le service de la demande" in text and wrong in text
    assert owner_of(app, fine) is None and owner_of(app, wrong) is None, "all or nothing"


def test_requests_of_other_services_cannot_be_taken_or_revealed(app, make_staff, make_request):
    agent = make_staff(("agent", "etat-civil"))
    other = make_request(service="voirie", demarche="occupation-domaine-public")
    response = post_assign(signed_in(app, agent), {"seule": other})
    assert response.status_code == 404 and other not in response.get_data(as_text=True)
    assert owner_of(app, other) is None


def test_assignment_needs_csrf_and_a_choice(app, make_staff, make_request):
    agent = make_staff(("agent", "etat-civil"))
    reference = make_request()
    client = signed_in(app, agent)
    assert client.post("/gestion/demandes/attribuer", data={"seule": reference}).status_code == 400
    assert post_assign(client, {"action": "prendre"}).status_code == 400
    assert post_assign(client, {"demandes": [reference], "action": "attribuer", "agent": "x"}).status_code == 400
    assert owner_of(app, reference) is None


def test_an_unknown_export_format_is_not_found(app, make_staff, clean):
    assert signed_in(app, make_staff(("agent", "etat-civil"))).get("/gestion/demandes/export.xlsx").status_code == 404
