"""Stored pages: rendered once, each request gets its own token and flashes, nothing personal is stored."""
import gzip
import re
import zlib

import brotli
import pytest
from sqlalchemy import select

from guichet import db
from guichet.content import service as content_service
from guichet.content.models import Fiche
from guichet.content.store import bump_version, current_version
from guichet.web.pagecache import MARKER, Page
from tests.conftest import csrf_token

CONTENT_PAGES = ["/", "/evenements/demenagement", "/fiches/pacs", "/glossaire", "/glossaire/a-compter-de",
                 "/demarches/changement-adresse", "/aide", "/plan-du-site"]
TOKEN_RE = re.compile(r'name="(?:[a-z]+-)?csrf_token"[^>]*value="([^"]+)"')


def stored_paths(app) -> set[str]:
    return {path for _version, path, *_variant in app.extensions["guichet_pages"].pages}


def tokens_in(html: str) -> set[str]:
    return set(TOKEN_RE.findall(html))


@pytest.mark.parametrize("path", CONTENT_PAGES)
def test_every_encoding_decodes_to_the_same_page_with_the_clients_token(app, client, path):
    plain = client.get(path, headers={"Accept-Encoding": "identity"})
    as_brotli = client.get(path, headers={"Accept-Encoding": "gzip, deflate, br"})
    as_gzip = client.get(path, headers={"Accept-Encoding": "gzip"})
    assert (plain.headers.get("Content-Encoding"), as_brotli.headers["Content-Encoding"],
            as_gzip.headers["Content-Encoding"]) == (None, "br", "gzip")
    html = plain.get_data()
    assert brotli.decompress(as_brotli.get_data()) == html
    assert gzip.decompress(as_gzip.get_data()) == html
    assert zlib.decompress(as_gzip.get_data(), 16 + zlib.MAX_WBITS) == html
    assert len(tokens_in(html.decode())) == 1 and MARKER.encode() not in html
    assert path in stored_paths(app)


def test_a_page_with_several_tokens_is_spliced_exactly():
    html = b"<html><body>" + b"x" * 3000 + f'<input value="{MARKER}">'.encode() + b"y" * 500 + \
        f'<input value="{MARKER}">'.encode() + b"</body></html>"
    page = Page.build(html, 91)
    token = b"T" * 91
    expected = html.replace(MARKER.encode(), token)
    assert page.encodings(token) == ("br", "gzip")
    assert brotli.decompress(page.brotli(token)) == expected
    assert gzip.decompress(page.gzip(token)) == expected
    assert page.encodings(b"short") == ()


def test_two_visitors_each_get_their_own_token_and_their_token_works(app):
    first, second = app.test_client(), app.test_client()
    first_html = first.get("/fiches/pacs", headers={"Accept-Encoding": "br"})
    second_html = second.get("/fiches/pacs", headers={"Accept-Encoding": "br"})
    first_tokens = tokens_in(brotli.decompress(first_html.get_data()).decode())
    second_tokens = tokens_in(brotli.decompress(second_html.get_data()).decode())
    assert len(first_tokens) == len(second_tokens) == 1 and first_tokens != second_tokens
    vote = {"avis-page": "/fiches/pacs", "avis-useful": "oui"}
    assert first.post("/avis", data={**vote, "avis-csrf_token": second_tokens.pop()}).status_code == 400
    assert first.post("/avis", data={**vote, "avis-csrf_token": first_tokens.pop()}).status_code == 302


def test_a_flash_is_shown_only_to_its_visitor_and_only_once(app):
    voter, other = app.test_client(), app.test_client()
    other.get("/fiches/pacs")
    voter.post("/avis", data={"avis-page": "/fiches/pacs", "avis-useful": "oui",
                              "avis-csrf_token": csrf_token(voter, "/fiches/pacs")})
    shown = voter.get("/fiches/pacs").get_data(as_text=True)
    assert "Merci pour votre réponse." in shown
    assert tokens_in(shown) == tokens_in(voter.get("/fiches/pacs").get_data(as_text=True))
    assert "Merci pour votre réponse." not in other.get("/fiches/pacs").get_data(as_text=True)
    assert "Merci pour votre réponse." not in voter.get("/fiches/pacs").get_data(as_text=True)


def test_a_sent_report_message_is_not_shown_to_someone_else(app):
    reporter, other = app.test_client(), app.test_client()
    reporter.post("/signalements", data={
        "signalement-csrf_token": csrf_token(reporter, "/aide"), "signalement-page": "/aide",
        "signalement-category": "comprendre", "signalement-text": "Je ne trouve pas les horaires."})
    assert "Merci, votre signalement est envoyé" in reporter.get("/aide").get_data(as_text=True)
    page = other.get("/aide").get_data(as_text=True)
    assert "Merci, votre signalement est envoyé" not in page
    assert tokens_in(page) == tokens_in(other.get("/aide").get_data(as_text=True))


def test_repeat_visit_is_confirmed_with_304_only_for_the_same_visitor(app):
    first, second = app.test_client(), app.test_client()
    etag = first.get("/aide").headers["ETag"]
    repeat = first.get("/aide", headers={"If-None-Match": etag})
    assert repeat.status_code == 304 and repeat.get_data() == b""
    assert "Cookie" in repeat.headers["Vary"] and repeat.headers["Cache-Control"] == "private, no-cache"
    second.get("/aide")
    stranger = second.get("/aide", headers={"If-None-Match": etag})
    assert stranger.status_code == 200 and tokens_in(stranger.get_data(as_text=True))
    first.set_cookie("langue", "en")
    in_english = first.get("/aide", headers={"If-None-Match": etag})
    assert in_english.status_code == 200 and 'lang="en"' in in_english.get_data(as_text=True)


def test_personal_pages_are_never_stored(app, client):
    from a11y.walker import start
    from guichet.demarches.catalogue import catalogue
    with app.app_context():
        demarche = catalogue().get("changement-adresse")
    step = start(client, demarche).headers["Location"]
    assert client.get(step).headers["Cache-Control"] == "no-store"
    resume = "Vous avez commencé cette démarche sur cet ordinateur."
    assert resume not in app.test_client().get("/demarches/changement-adresse").get_data(as_text=True)
    assert resume in client.get("/demarches/changement-adresse").get_data(as_text=True)
    assert resume not in app.test_client().get("/demarches/changement-adresse").get_data(as_text=True)
    client.get("/suivi")
    client.get("/?q=x")
    assert not any(path.startswith(("/demarches/changement-adresse/", "/suivi")) for path in stored_paths(app))
    assert all("?" not in path for path in stored_paths(app))


def test_htmx_and_query_string_requests_are_rendered_not_stored(app, client):
    before = set(app.extensions["guichet_pages"].pages)
    assert client.get("/accessibilite?source=test").status_code == 200
    assert client.get("/donnees-personnelles", headers={"HX-Request": "true"}).status_code == 200
    assert set(app.extensions["guichet_pages"].pages) == before


def test_new_content_is_shown_once_the_version_moves(app, client, monkeypatch):
    monkeypatch.setattr(app.extensions["guichet_pages"], "ttl", 0)
    assert "Titre changé" not in client.get("/fiches/pacs").get_data(as_text=True)
    with app.app_context():
        session = db.session()
        version = current_version(session)
        fiche = session.scalar(select(Fiche).where(Fiche.slug == "pacs", Fiche.lang == "fr"))
        original = fiche.title
        fiche.title = "Titre changé"
        session.commit()
        assert "Titre changé" not in client.get("/fiches/pacs").get_data(as_text=True), \
            "stored until a content load moves the version"
        bump_version(session)
        session.commit()
        assert "Titre changé" in client.get("/fiches/pacs").get_data(as_text=True)
        content_service.load(session)
        assert current_version(session) == version + 2
        assert original in client.get("/fiches/pacs").get_data(as_text=True)


def test_chromium_reads_stored_pages_in_brotli_and_gzip_and_revalidates_them(app, browser):
    from tests.conftest import LiveServer
    sent = {}

    def recording(environ, start_response):
        def start(status, headers, exc_info=None):
            sent[environ["PATH_INFO"]] = (status[:3], dict(headers).get("Content-Encoding"))
            return start_response(status, headers, exc_info)
        return app(environ, start)

    def check_page() -> None:
        tokens = browser.execute_script(
            "return [...document.querySelectorAll('input[name$=csrf_token]')].map(input => input.value)")
        assert len(tokens) == 2 and len(set(tokens)) == 1 and re.fullmatch(r"[\w.-]{60,}", tokens[0])
        footer = browser.execute_script("return document.querySelector('footer.pied').innerText")
        assert "Données personnelles" in footer and "pacs" in browser.title.lower()

    with LiveServer(recording) as server:
        browser.execute_cdp_cmd("Network.enable", {})
        try:
            for encoding in ("br", "gzip"):
                browser.execute_cdp_cmd("Network.clearBrowserCache", {})
                browser.execute_cdp_cmd("Network.setExtraHTTPHeaders", {"headers": {"Accept-Encoding": encoding}})
                browser.get(server.url + "/fiches/pacs")
                assert sent["/fiches/pacs"] == ("200", encoding)
                check_page()
                browser.get(server.url + "/fiches/pacs")
                assert sent["/fiches/pacs"] == ("304", None)
                check_page()
        finally:
            browser.execute_cdp_cmd("Network.setExtraHTTPHeaders", {"headers": {}})


def test_htmx_posts_carry_the_token_of_their_form_on_stored_and_step_pages(live_server, browser):
    """No page-wide token header (it would sit at the top of stored pages): each htmx POST sends its form's."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(live_server.url + "/demarches/changement-adresse")
    browser.find_element(By.CSS_SELECTOR, "form[action$='/commencer'] button").click()
    WebDriverWait(browser, 10).until(lambda driver: "/etape/" in driver.current_url)
    for url in (live_server.url + "/aide", browser.current_url):
        browser.get(url)
        assert "hx-headers" not in browser.page_source
        browser.find_element(By.CSS_SELECTOR, "#signaler-depliant summary").click()
        browser.find_element(By.ID, "signalement-text").send_keys("Je ne comprends pas.")
        WebDriverWait(browser, 10).until(
            lambda driver: "Il vous reste" in driver.find_element(By.ID, "signalement-text-compteur").text)


def test_a_text_browser_and_a_graphical_browser_each_get_their_own_stored_page(app):
    """The report widget differs for text browsers (a link), so the variant is part of the key."""
    path = "/fiches/demander-acte-etat-civil"
    for first, second in [("w3m/0.5.3", "Mozilla/5.0 Chrome/120"), ("Mozilla/5.0 Chrome/120", "Lynx/2.9.0")]:
        app.extensions["guichet_pages"].pages.clear()
        pages = {agent: app.test_client().get(path, headers={"User-Agent": agent}) for agent in (first, second)}
        for agent, response in pages.items():
            html = response.get_data(as_text=True)
            text = agent.startswith(("w3m", "Lynx"))
            assert ('id="signaler-depliant"' in html) is not text, agent
            assert (f'href="/signalements/nouveau?page={path}"' in html) is text, agent
            assert "User-Agent" in response.headers["Vary"]
        assert len([key for key in app.extensions["guichet_pages"].pages if key[1] == path]) == 2


class CountingFlask:
    """Stands between the middleware and Flask, counting the requests Flask sees."""

    def __init__(self, wsgi_app) -> None:
        self.wsgi_app, self.seen = wsgi_app, []

    def __call__(self, environ, start_response):
        self.seen.append(environ["PATH_INFO"])
        return self.wsgi_app(environ, start_response)


@pytest.fixture
def flask_seen(app, monkeypatch):
    counting = CountingFlask(app.wsgi_app.wsgi_app)
    monkeypatch.setattr(app.wsgi_app, "wsgi_app", counting)
    return counting.seen


def test_a_stored_page_is_served_again_before_flask_with_the_same_bytes_and_headers(app, flask_seen):
    visitor = app.test_client()
    visitor.get("/fiches/pacs")  # the session starts
    visitor.get("/fiches/pacs")  # its token is signed in this worker
    for encoding in ("br", "gzip", "identity"):
        seen = len(flask_seen)
        again = visitor.get("/fiches/pacs", headers={"Accept-Encoding": encoding})
        assert len(flask_seen) == seen, "the request never reached Flask"
        app.extensions["guichet_pages"].checked_at -= 3600  # the version must be read again: Flask serves
        by_flask = visitor.get("/fiches/pacs", headers={"Accept-Encoding": encoding})
        assert len(flask_seen) == seen + 1
        assert again.get_data() == by_flask.get_data()
        assert sorted(again.headers.items()) == sorted(by_flask.headers.items())
    etag = again.headers["ETag"]
    assert visitor.get("/fiches/pacs", headers={"If-None-Match": etag}).status_code == 304
    assert app.test_client().get("/fiches/pacs", headers={"If-None-Match": etag}).status_code == 200


@pytest.mark.parametrize("variant", ["query", "htmx", "post", "draft cookie", "help point cookie", "forged session",
                                     "no session", "flash", "stale version"])
def test_whatever_could_make_a_page_personal_goes_to_flask(app, flask_seen, variant):
    visitor = app.test_client()
    path = "/demarches/changement-adresse"
    visitor.get(path)
    visitor.get(path)
    seen = len(flask_seen)
    headers = {}
    if variant == "query":
        path += "?source=x"
    elif variant == "htmx":
        headers["HX-Request"] = "true"
    elif variant == "draft cookie":
        visitor.set_cookie("brouillon-changement-adresse", "x" * 43)
    elif variant == "help point cookie":
        visitor.set_cookie("poste", "accueil")
    elif variant == "forged session":
        session_cookie = visitor.get_cookie(app.config["SESSION_COOKIE_NAME"])
        visitor.set_cookie(app.config["SESSION_COOKIE_NAME"], session_cookie.value[:-2] + "xx")
    elif variant == "no session":
        visitor = app.test_client()
    elif variant == "flash":
        with visitor.session_transaction() as session:
            session["_flashes"] = [("message", "Merci pour votre réponse.")]
    elif variant == "stale version":
        app.extensions["guichet_pages"].checked_at -= 3600
    method = visitor.post if variant == "post" else visitor.get
    method(path, headers=headers)
    assert len(flask_seen) == seen + 1
