"""Following a request: found from every page, and a bookmarked /suivi/<reference> explains itself."""
import re

import pytest

from a11y.walker import submit, token_of, walk_to_check
from guichet.demarches.catalogue import catalogue
from guichet.requests.submission import looks_like_reference


def _main(html: str) -> str:
    """The page's own content, without the CSRF tokens that change on every page."""
    main = html[html.index("<main"):html.index("</main>")]
    return re.sub(r'value="[^"]*"', "", main)


@pytest.mark.parametrize("path", ["/", "/aide", "/demarches"])
def test_following_a_request_is_linked_from_header_footer_home_and_help(client, path):
    html = client.get(path).get_data(as_text=True)
    assert html.count('<a href="/suivi"') >= (3 if path in ("/", "/aide") else 2)
    assert "Suivre ma demande" in html


def test_bookmarked_tracking_page_asks_again_with_the_reference_filled_in(app):
    client = app.test_client()
    with app.app_context():
        item = catalogue().get("changement-adresse")
    receipt = client.get(submit(client, item, walk_to_check(client, item)).headers["Location"]).get_data(as_text=True)
    reference = re.search(r"ADM-\d{4}-\d{6}", receipt).group(0)
    later = app.test_client()
    response = later.get(f"/suivi/{reference.lower()}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert "introuvable" not in html.lower()
    assert "accusé de réception" in html and "e-mail" in html
    assert f'name="reference" value="{reference}"' in html and 'action="/suivi"' in html
    assert "Déclarer votre changement" not in html  # nothing about the request itself


def test_bookmarked_page_answers_the_same_whether_the_reference_exists_or_not(app):
    client = app.test_client()
    with app.app_context():
        item = catalogue().get("changement-adresse")
    receipt = client.get(submit(client, item, walk_to_check(client, item)).headers["Location"]).get_data(as_text=True)
    existing = re.search(r"ADM-\d{4}-\d{6}", receipt).group(0)
    stranger = app.test_client()
    real, invented = stranger.get(f"/suivi/{existing}"), stranger.get("/suivi/ADM-1999-000042")
    assert real.status_code == invented.status_code == 200
    assert _main(real.get_data(as_text=True)) == _main(invented.get_data(as_text=True))


def test_malformed_reference_in_the_url_is_not_copied_into_the_form(client):
    response = client.get("/suivi/%3Cscript%3E")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<script>" not in html
    assert 'name="reference" value=""' in html


def test_correcting_without_access_goes_back_to_the_lookup(client):
    token = token_of(client.get("/suivi").get_data(as_text=True))
    response = client.post("/suivi/ADM-2026-000001/corriger", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"].endswith("/suivi/ADM-2026-000001")


@pytest.mark.parametrize("text, expected", [
    ("ADM-2026-000123", True),
    ("adm-2026-000123", True),
    (" ADM-2026-000123 ", True),
    ("ADM-26-000123", False),
    ("ADM-2026-00012", False),
    ("XYZ-2026-000123", False),
    ("ADM-2026-000123x", False),
    ("", False),
    ("<script>", False),
])
def test_looks_like_reference(text, expected):
    assert looks_like_reference(text, "ADM") is expected
