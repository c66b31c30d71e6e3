"""Parts kept for everyone (header, footer, empty report form): the same page as rendered afresh,
each visitor's own token, and nothing typed or sent by one person ever kept for another."""
import re

import pytest

from guichet.web import fragments
from guichet.web.fragments import PLACEHOLDER_PREFIX, TOKEN_MARKER
from tests.conftest import csrf_token

TOKEN_RE = re.compile(r'name="(?:[a-z]+-)?csrf_token"[^>]*value="([^"]+)"')
TOKEN_VALUE_RE = re.compile(r'value="[\w.-]{60,}"')
PAGES = ["/", "/fiches/pacs", "/aide", "/glossaire", "/demarches/changement-adresse", "/page-qui-n-existe-pas",
         "/aide?depuis=recherche"]


def step_of(client, app) -> str:
    from a11y.walker import start
    from guichet.demarches.catalogue import catalogue
    with app.app_context():
        demarche = catalogue().get("changement-adresse")
    return start(client, demarche).headers["Location"]


def fetch_all(client, paths, **headers) -> dict[str, str]:
    """The pages, each token written "TOKEN": a signed token changes with the second it is signed in."""
    return {path: TOKEN_VALUE_RE.sub('value="TOKEN"', client.get(path, headers=headers).get_data(as_text=True))
            for path in paths}


@pytest.mark.parametrize("user_agent", ["Mozilla/5.0 (X11; Linux x86_64)", "w3m/0.5.3"])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_pages_with_kept_parts_are_byte_for_byte_those_rendered_afresh(app, monkeypatch, user_agent, language):
    client = app.test_client()
    client.set_cookie("langue", language)
    paths = [*PAGES, step_of(client, app)]
    app.extensions["guichet_pages"].pages.clear()
    kept_parts = app.extensions["guichet_kept_parts"].parts
    kept_parts.clear()
    kept = fetch_all(client, paths, **{"User-Agent": user_agent})
    kept_again = fetch_all(client, paths, **{"User-Agent": user_agent})
    app.extensions["guichet_pages"].pages.clear()
    monkeypatch.setitem(app.jinja_env.globals, "shared_part", lambda *_key, when=True, caller: caller())
    fresh = fetch_all(client, paths, **{"User-Agent": user_agent})
    assert kept == kept_again == fresh
    assert not any(PLACEHOLDER_PREFIX in html or TOKEN_MARKER in html for html in kept.values())
    assert any(key[0] == "signaler" for key in kept_parts) and any(key[0] == "pied" for key in kept_parts)


def test_each_visitor_gets_their_own_token_in_the_kept_report_form_and_it_works(app):
    first, second = app.test_client(), app.test_client()
    first_step, second_step = step_of(first, app), step_of(second, app)
    first_tokens = set(TOKEN_RE.findall(first.get(first_step).get_data(as_text=True)))
    second_tokens = set(TOKEN_RE.findall(second.get(second_step).get_data(as_text=True)))
    assert len(first_tokens) == len(second_tokens) == 1 and first_tokens != second_tokens
    report = {"signalement-page": first_step, "signalement-category": "comprendre",
              "signalement-text": "La question n'est pas claire."}
    assert first.post("/signalements", data={**report, "signalement-csrf_token": next(iter(second_tokens))}
                      ).status_code == 400
    assert first.post("/signalements", data={**report, "signalement-csrf_token": next(iter(first_tokens))}
                      ).status_code == 302


def test_what_one_person_typed_or_was_told_is_never_kept_for_another(app):
    typist, other = app.test_client(), app.test_client()
    refused = typist.post("/signalements", data={
        "signalement-csrf_token": csrf_token(typist, "/aide"), "signalement-page": "/aide",
        "signalement-text": "Mon texte tapé 7391"})
    assert refused.status_code == 400 and "Mon texte tapé 7391" in refused.get_data(as_text=True)
    typist.post("/signalements", data={
        "signalement-csrf_token": csrf_token(typist, "/aide"), "signalement-page": "/aide",
        "signalement-category": "comprendre", "signalement-text": "Je ne trouve pas les horaires."})
    assert "Merci, votre signalement est envoyé" in typist.get("/aide").get_data(as_text=True)
    for html in [*fetch_all(other, PAGES).values(), *app.extensions["guichet_kept_parts"].parts.values()]:
        assert "7391" not in html and "Merci, votre signalement est envoyé" not in html


def test_the_kept_header_links_to_the_language_of_this_very_page(client):
    assert "suivant=/aide" in client.get("/aide").get_data(as_text=True)
    assert "suivant=/fiches/pacs" in client.get("/fiches/pacs").get_data(as_text=True)
    assert "suivant=/aide%3Fdepuis%3Drecherche" in client.get("/aide?depuis=recherche").get_data(as_text=True)


def test_the_store_of_kept_parts_has_a_bound(monkeypatch):
    store = fragments.Kept()
    monkeypatch.setattr(fragments, "MAX_KEPT", 3)
    for index in range(10):
        store.get_or_render((index,), lambda: "x")
    assert len(store.parts) <= 3
