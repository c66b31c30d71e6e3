"""The editors' room at 360 and 1280 px, with and without the checker's findings: axe-core and the HTML checker.

Only drafts are written here (nothing is published), so the shared database's public pages do not change.
"""
import io

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from a11y.audit import PageState, audit, report
from tests.a11y.gestion_helpers import sign_browser_in, sign_browser_out, staff_member
from tests.gestion.conftest import make_staff  # noqa: F401 (fixture)

SLUG = "signaler-probleme-rue"
ARCHIVED = "stationnement-demenagement"  # only its archive form is opened and sent empty: it stays published
JARGON = " Nonobstant les dispositions afférentes, il convient de procéder à la demande idoine."


def typed_jargon(wait_for_htmx: bool):
    """Type jargon at the end of the body: with htmx the report updates after a pause; else press "Vérifier"."""
    def prepare(driver) -> None:
        body = driver.find_element(By.ID, "body")
        body.click()
        driver.execute_script("arguments[0].setSelectionRange(arguments[0].value.length, arguments[0].value.length)",
                              body)
        body.send_keys(JARGON)
        if not wait_for_htmx:
            driver.find_element(By.CSS_SELECTOR, "button[value=verifier]").click()
        WebDriverWait(driver, 10).until(lambda current: "afférentes" in
                                        current.find_element(By.ID, "verification").text)
    return prepare


def emptied_title(driver) -> None:
    driver.find_element(By.ID, "title").clear()
    driver.find_element(By.CSS_SELECTOR, "button[value=enregistrer]").click()
    WebDriverWait(driver, 20).until(lambda current: current.find_elements(By.CSS_SELECTOR, ".resume-erreurs"))


def image_without_alt(driver) -> None:
    """Send the image form without a file nor a description: its errors show."""
    driver.find_element(By.CSS_SELECTOR, "form[action$='/images'] button[type=submit]").click()
    WebDriverWait(driver, 20).until(lambda current: current.find_elements(By.CSS_SELECTOR, ".resume-erreurs"))


def archive_without_reason(driver) -> None:
    """Send the archive form empty: the reason's error shows (nothing is archived)."""
    driver.find_element(By.CSS_SELECTOR, "form[action$='/archiver'] button[type=submit]").click()
    WebDriverWait(driver, 20).until(lambda current: current.find_elements(By.CSS_SELECTOR, ".resume-erreurs"))


def test_editors_room_has_no_axe_violation(app, live_server, browser):
    member = staff_member(app, "audit.contenus@admiville.test", ("admin", None))
    sign_browser_in(app, browser, live_server.url, member)
    states = [
        PageState("fiches", "/gestion/contenus/"),
        PageState("fiches à revoir, triées", "/gestion/contenus/?a_revoir=y&tri=score"),
        PageState("rédaction", f"/gestion/contenus/{SLUG}"),
        PageState("rédaction, constats par htmx", f"/gestion/contenus/{SLUG}", typed_jargon(True)),
        PageState("rédaction, bouton Vérifier", f"/gestion/contenus/{SLUG}", typed_jargon(False)),
        PageState("rédaction, erreurs", f"/gestion/contenus/{SLUG}", emptied_title),
        PageState("rédaction, image refusée", f"/gestion/contenus/{SLUG}", image_without_alt),
        PageState("aperçu", f"/gestion/contenus/{SLUG}/apercu"),
        PageState("aperçu, téléphone", f"/gestion/contenus/{SLUG}/apercu?largeur=telephone"),
        PageState("historique", f"/gestion/contenus/{SLUG}/versions"),
        PageState("nouvelle fiche", "/gestion/contenus/nouvelle"),
        PageState("archivage", f"/gestion/contenus/{ARCHIVED}/archiver"),
        PageState("archivage, erreurs", f"/gestion/contenus/{ARCHIVED}/archiver", archive_without_reason),
    ]
    try:
        violations = audit(browser, live_server.url, states)
    finally:
        sign_browser_out(browser)
    assert not violations, report(violations, len(states))


def test_editors_room_is_valid_html(app, make_staff):
    from a11y.html_check import as_document, check_pages, checker_available
    from a11y.html_check import report as html_report
    from tests.conftest import require
    from tests.gestion.conftest import open_session
    from tests.gestion.test_contents import csrf, form_data
    require(checker_available(), "Java and vnu.jar (Debian package default-jre-headless, then npm ci)")
    editor, other = app.test_client(), app.test_client()
    open_session(app, editor, make_staff(("admin", None)))
    open_session(app, other, make_staff(("admin", None)))
    edit = editor.get(f"/gestion/contenus/{SLUG}")
    data = form_data(edit.get_data(as_text=True))
    stale = dict(data, faire="enregistrer", body=data["body"] + "\n\nUne phrase de plus.")
    saved = dict(form_data(other.get(f"/gestion/contenus/{SLUG}").get_data(as_text=True)), faire="enregistrer",
                 note="Relu")
    assert other.post(f"/gestion/contenus/{SLUG}", data=saved).status_code == 302
    history = editor.get(f"/gestion/contenus/{SLUG}/versions")
    pages = {
        "fiches": editor.get("/gestion/contenus/?tri=signalements"),
        "rédaction": edit,
        "rédaction, Vérifier": editor.post(f"/gestion/contenus/{SLUG}",
                                           data=dict(data, faire="verifier", body=data["body"] + JARGON)),
        "rédaction, erreurs": editor.post(f"/gestion/contenus/{SLUG}",
                                          data=dict(data, faire="enregistrer", life_events="lune")),
        "rédaction, conflit": editor.post(f"/gestion/contenus/{SLUG}", data=stale),
        "aperçu": editor.get(f"/gestion/contenus/{SLUG}/apercu?largeur=telephone"),
        "historique": history,
        "nouvelle fiche, erreurs": editor.post("/gestion/contenus/nouvelle",
                                               data={"csrf_token": csrf(history.get_data(as_text=True)),
                                                     "slug": "Pas Bon"}),
    }
    pages["image refusée"] = editor.post(f"/gestion/contenus/{SLUG}/images", content_type="multipart/form-data",
                                         data={"csrf_token": csrf(history.get_data(as_text=True)), "lock": "0",
                                               "alt": "", "file": (io.BytesIO(b"<svg><script/></svg>"), "a.svg")})
    archive_page = editor.get(f"/gestion/contenus/{ARCHIVED}/archiver")
    pages["archivage"] = archive_page
    pages["archivage, erreurs"] = editor.post(f"/gestion/contenus/{ARCHIVED}/archiver",
                                              data={"csrf_token": csrf(archive_page.get_data(as_text=True)),
                                                    "lock": "0", "replacement": ARCHIVED, "reason": ""})
    html = {name: response.get_data(as_text=True) for name, response in pages.items()}
    html["fiche archivée (410)"] = archived_page(app)
    html["rapport (htmx)"] = as_document(editor.post(f"/gestion/contenus/{SLUG}/verification",
                                                     data=dict(data, body=data["body"] + JARGON)).get_data(as_text=True))
    assert pages["rédaction, conflit"].status_code == 409
    assert pages["archivage, erreurs"].status_code == 400
    assert 'action="/gestion/contenus/stationnement-demenagement/archiver"' in html["archivage"]
    errors = check_pages(html)
    assert not errors, html_report(errors, len(html))


def archived_page(app) -> str:
    """The 410 page of an archived fiche, rendered without archiving one (the database is shared)."""
    from flask import render_template

    from guichet import db
    from guichet.content import queries
    with app.test_request_context(f"/fiches/{SLUG}"):
        return render_template("pages/fiche_archived.html", events=queries.events(db.session(), "fr")[:2])
