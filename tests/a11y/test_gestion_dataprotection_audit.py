"""axe-core and the HTML checker on the data-protection pages: person search and file, DPO export and erasure,
the audit trail and its chain check, the register, in their normal, empty and error states."""
from a11y.audit import PageState, audit, report
from tests.a11y.gestion_helpers import sign_browser_in, sign_browser_out, staff_member
from tests.privacy.helpers import add_report, add_request


def a_person(app) -> dict:
    """A person with a decided request (with a message), one still processed, and a report; their number."""
    from guichet import db
    from guichet.people.files import person_for
    done = add_request(app, email="audit.personne@exemple.fr", status="acceptee", message="Merci pour votre aide")
    add_request(app, email="audit.personne@exemple.fr", status="en_instruction")
    add_report(app, contact_email="audit.personne@exemple.fr")
    with app.app_context():
        person = person_for(db.session(), "audit.personne@exemple.fr")
        db.session().commit()
        return {"id": person.id, "reference": done["reference"]}


def states(person: int) -> list[PageState]:
    return [
        PageState("recherche de personne", "/gestion/personnes/"),
        PageState("recherche de personne, résultats", "/gestion/personnes/?q=audit.personne"),
        PageState("recherche de personne, aucun résultat", "/gestion/personnes/?q=zzzzzz"),
        PageState("recherche de personne, en erreur", "/gestion/personnes/?q=x"),
        PageState("dossier d'une personne", f"/gestion/personnes/{person}"),
        PageState("données d'une personne", f"/gestion/personnes/{person}/export"),
        PageState("effacement refusé", f"/gestion/personnes/{person}/effacement"),
        PageState("journal", "/gestion/journal/"),
        PageState("journal filtré, en erreur", "/gestion/journal/?depuis=2026-13-45"),
        PageState("journal filtré, vide", "/gestion/journal/?cible=inexistante"),
        PageState("intégrité du journal", "/gestion/journal/integrite"),
        PageState("protection des données", "/gestion/protection-des-donnees/"),
        PageState("registre des traitements", "/gestion/protection-des-donnees/registre"),
    ]


def test_data_protection_pages_have_no_axe_violation(app, live_server, browser):
    member = staff_member(app, "audit.dpo@admiville.test", ("dpo", None))
    person = a_person(app)
    sign_browser_in(app, browser, live_server.url, member)
    pages = states(person["id"])
    try:
        violations = audit(browser, live_server.url, pages)
    finally:
        sign_browser_out(browser)
    assert not violations, report(violations, len(pages))


def test_data_protection_pages_are_valid_html(app):
    from a11y.html_check import check_pages, checker_available
    from a11y.html_check import report as html_report
    from guichet import db
    from guichet.staff.models import StaffMember
    from tests.conftest import require
    from tests.gestion.conftest import open_session
    require(checker_available(), "Java and vnu.jar (Debian package default-jre-headless, then npm ci)")
    member_id = staff_member(app, "html.dpo@admiville.test", ("dpo", None))
    person = a_person(app)
    client = app.test_client()
    with app.app_context():
        open_session(app, client, db.session().get(StaffMember, member_id))
    pages = {state.path: client.get(state.path).get_data(as_text=True) for state in states(person["id"])}
    pages["effacement, case non cochée"] = client.post(f"/gestion/personnes/{person['id']}/effacement",
                                                       data={}).get_data(as_text=True)
    pages["rattachement en erreur"] = client.post(f"/gestion/personnes/{person['id']}/rattacher",
                                                  data={}).get_data(as_text=True)
    errors = check_pages(pages)
    assert not errors, html_report(errors, len(pages))
