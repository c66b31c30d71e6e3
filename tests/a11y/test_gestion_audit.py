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


def a_request(app) -> str:
    """One request of the état civil service, so the queue shows a row (with a deadline and an owner-less take)."""
    from datetime import date, timedelta

    from guichet import db
    from guichet.requests.models import DemarcheRequest
    from guichet.requests.submission import search_columns
    identity = {"identite_prenom": "Camille", "identite_nom": "Exemple", "identite_email": "camille@exemple.fr"}
    with app.app_context():
        session = db.session()
        existing = session.query(DemarcheRequest).filter_by(idempotency_key="audit-queue").one_or_none()
        if existing is None:
            existing = DemarcheRequest(
                reference="ADM-2026-990001", tracking_secret_hash="x", idempotency_key="audit-queue",
                demarche="demande-acte-etat-civil", definition_version="1", channel="guichet", identity=identity,
                answers={}, email=identity["identite_email"], lang="fr", status="recue", version=1,
                service="etat-civil", decision_due=date.today() + timedelta(days=12),
                **search_columns(identity, identity["identite_email"]))
            session.add(existing)
            session.commit()
        return existing.reference


QUEUE_STATES = [
    ("file des demandes", "/gestion/demandes?onglet=toutes"),
    ("file filtrée", "/gestion/demandes?onglet=toutes&canal=guichet&texte=exemple&echeance=30"),
    ("file filtrée sans résultat", "/gestion/demandes?texte=personne-ne-s-appelle-ainsi"),
    ("file en erreur", "/gestion/demandes?recue_du=2026-13-45&echeance=-1"),
]


def test_queue_states_have_no_axe_violation(app, live_server, browser):
    a_request(app)
    member = staff_member(app, "audit.agent@admiville.test", ("agent", "etat-civil"))
    empty = staff_member(app, "audit.ccas@admiville.test", ("agent", "ccas"))
    sign_browser_in(app, browser, live_server.url, member)
    states = [PageState(name, path) for name, path in QUEUE_STATES]
    try:
        violations = audit(browser, live_server.url, states)
        sign_browser_in(app, browser, live_server.url, empty)
        violations += audit(browser, live_server.url, [PageState("file vide", "/gestion/demandes")])
    finally:
        sign_browser_out(browser)
    assert not violations, report(violations, len(states) + 1)


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
    a_request(app)
    for _name, path in QUEUE_STATES:
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
