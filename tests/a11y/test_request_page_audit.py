"""axe-core on the back office's request page in its states, at 360 and 1280 px."""
from sqlalchemy import select

from a11y.audit import PageState, audit, report
from guichet import db
from guichet.db import utcnow
from guichet.requests.models import DemarcheRequest, RequestMessage, RequestPresence, RequestVersion
from tests.a11y.gestion_helpers import sign_browser_in, sign_browser_out, staff_member
from tests.gestion.request_helpers import submit_request


def _enrich(app, reference: str, colleague: int) -> None:
    """A correction, a message each way, a note, and a colleague who has it open."""
    with app.app_context():
        session = db.session()
        row = session.scalar(select(DemarcheRequest).where(DemarcheRequest.reference == reference))
        changed = {**row.identity, "identite_nom": "Durand"}
        row.versions.append(RequestVersion(version=2, definition_version=row.definition_version, identity=changed,
                                           answers=row.answers))
        row.version, row.identity = 2, changed
        row.messages += [RequestMessage(sender="service", body="Bonjour,\nil manque une page."),
                         RequestMessage(sender="demandeur", body="La voici.")]
        session.add(RequestPresence(request_id=row.id, staff_id=colleague, since=utcnow(), seen_at=utcnow()))
        session.commit()


def test_request_page_states_have_no_axe_violation(app, live_server, browser):
    plain, _ = submit_request(app, all_files=False)
    rich, _ = submit_request(app)
    agent = staff_member(app, "audit.agent.education@admiville.test", ("agent", "education"))
    colleague = staff_member(app, "audit.collegue.education@admiville.test", ("agent", "education"))
    _enrich(app, rich, colleague)
    sign_browser_in(app, browser, live_server.url, agent)
    states = [
        PageState("demande simple", f"/gestion/demandes/{plain}"),
        PageState("demande avec fichiers, versions, messages, collègue présent", f"/gestion/demandes/{rich}"),
        PageState("modèle de réponse choisi", f"/gestion/demandes/{rich}?modele=bien-recue"),
        PageState("demande introuvable", "/gestion/demandes/ADM-1999-999999"),
    ]
    try:
        violations = audit(browser, live_server.url, states)
    finally:
        sign_browser_out(browser)
    assert not violations, report(violations, len(states))
