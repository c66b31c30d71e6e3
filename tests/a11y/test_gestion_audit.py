"""axe-core on the back office's pages and states, at 360 and 1280 px: agents can be disabled people too."""
from a11y.audit import PageState, audit, report
from tests.a11y.gestion_helpers import sign_browser_in, sign_browser_out, staff_member


def a_report(app) -> int:
    from guichet import db
    from guichet.feedback.models import Report
    with app.app_context():
        report = Report(category="comprendre", text="Le mot « quotient » n'est pas expliqué.",
                        contact_email="lea@exemple.fr", page="/fiches/rsa", lang="fr", device="mobile")
        db.session().add(report)
        db.session().commit()
        return report.id


def test_sign_in_pages_have_no_axe_violation(live_server, browser):
    sign_browser_out(browser)
    states = [
        PageState("connexion", "/gestion/connexion"),
        PageState("connexion, session terminée", "/gestion/connexion?raison=idle"),
        PageState("mot de passe oublié", "/gestion/mot-de-passe-oublie"),
        PageState("lien de mot de passe expiré", "/gestion/mot-de-passe/" + "x" * 30),
    ]
    violations = audit(browser, live_server.url, states)
    assert not violations, report(violations, len(states))


def test_signed_in_pages_have_no_axe_violation(app, live_server, browser):
    member = staff_member(app, "audit.superviseur@admiville.test", ("superviseur", "etat-civil"))
    report_id = a_report(app)
    sign_browser_in(app, browser, live_server.url, member)
    states = [
        PageState("accueil de la gestion", "/gestion/"),
        PageState("signalements", "/gestion/signalements/"),
        PageState("signalements filtrés, en erreur", "/gestion/signalements/?depuis=2026-13-45"),
        PageState("un signalement", f"/gestion/signalements/{report_id}"),
        PageState("codes de secours déjà affichés", "/gestion/connexion/codes-de-secours"),
        PageState("page introuvable", "/gestion/nulle-part"),
    ]
    try:
        violations = audit(browser, live_server.url, states)
    finally:
        sign_browser_out(browser)
    assert not violations, report(violations, len(states))


def back_office_pages(app) -> dict[str, str]:
    """The HTML of every back-office page and state, fetched as a signed-in member where needed."""
    from tests.gestion.conftest import open_session
    from guichet import db
    from guichet.staff.models import StaffMember
    anonymous = app.test_client()
    pages = {path: anonymous.get(path).get_data(as_text=True) for path in (
        "/gestion/connexion", "/gestion/connexion?raison=expired", "/gestion/mot-de-passe-oublie",
        "/gestion/mot-de-passe/" + "x" * 30)}
    pages["/gestion/connexion [erreurs]"] = anonymous.post("/gestion/connexion", data={}).get_data(as_text=True)
    member_id = staff_member(app, "html.superviseur@admiville.test", ("superviseur", "etat-civil"))
    signed_in = app.test_client()
    with app.app_context():
        open_session(app, signed_in, db.session().get(StaffMember, member_id))
    report_id = a_report(app)
    for path in ("/gestion/", "/gestion/connexion/codes-de-secours", "/gestion/nulle-part", "/gestion/signalements/",
                 "/gestion/signalements/?depuis=2026-13-45", f"/gestion/signalements/{report_id}"):
        pages[path] = signed_in.get(path).get_data(as_text=True)
    return pages


def test_back_office_pages_are_valid_html(app):
    from a11y.html_check import check_pages, checker_available
    from a11y.html_check import report as html_report
    from tests.conftest import require
    require(checker_available(), "Java and vnu.jar (Debian package default-jre-headless, then npm ci)")
    pages = back_office_pages(app)
    errors = check_pages(pages)
    assert not errors, html_report(errors, len(pages))
