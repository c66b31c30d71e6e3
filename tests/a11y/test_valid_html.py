"""The W3C Nu HTML Checker on every page and state the accessibility audit covers: zero errors."""
import pytest

from a11y.html_check import as_document, check_pages, checker_available, citizen_pages, report
from tests.conftest import require

INVALID_PAGE = ('<!DOCTYPE html><html lang="fr"><head><title>Invalide</title></head><body>'
                '<div hx-get="/x">a</div><p id="double">b</p><p id="double">c</p>'
                '<button formnovalidate="True">d</button></body></html>')


@pytest.fixture(scope="module")
def checker():
    require(checker_available(), "Java and vnu.jar (Debian package default-jre-headless, then npm ci)")


def test_every_page_and_state_is_valid_html(app, checker):
    pages = citizen_pages(app)
    assert sum(name.startswith("/fiches/") and name.endswith("(english)") for name in pages) >= 24
    assert sum(name.endswith("[erreurs]") for name in pages) >= 20
    assert sum(name.endswith(("(htmx)]", "(htmx)")) for name in pages) >= 20
    errors = check_pages(pages)
    print(report(errors, len(pages)))
    assert not errors, report(errors, len(pages))


def test_checker_catches_an_invalid_page(checker):
    """The check cannot pass vacuously: known faults are reported, on the page that has them."""
    errors = check_pages({"invalide": INVALID_PAGE, "fragment valide": as_document("<p>Bonjour</p>")})
    assert {error.page for error in errors} == {"invalide"}
    messages = " ".join(error.message for error in errors)
    assert "“hx-get” not allowed" in messages and "Duplicate ID “double”" in messages
    assert "Bad value “True” for attribute “formnovalidate”" in messages
