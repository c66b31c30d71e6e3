"""Requests no browser sends: a body over the limit, a body that cannot be read, NUL bytes in URLs,
regular expressions anchored with "$", the development mailbox without its token."""
import ast
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from a11y.walker import start
from guichet import db
from guichet.demarches.catalogue import catalogue
from guichet.mail.models import OutboxMessage

REPO = Path(__file__).resolve().parents[2]
THIRTEEN_MB = 13 * 1024 * 1024


def _first_step(app, client) -> str:
    with app.app_context():
        demarche = catalogue().get("changement-adresse")
    return start(client, demarche).headers["Location"]


@pytest.mark.parametrize("target", ["/suivi", "step"])
def test_a_body_over_the_limit_gets_the_french_413_page(app, target):
    client = app.test_client()
    path = _first_step(app, client) if target == "step" else target
    response = client.post(path, data=b"x" * THIRTEEN_MB, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert "Fichier trop lourd" in response.get_data(as_text=True)


class UnreadableBody:
    """A request body that fails when read, as a connection cut in the middle of an upload does."""

    def read(self, *_args):
        raise OSError("connection reset while reading the body")

    readline = read


@pytest.mark.parametrize("path", ["/suivi", "/signalements", "/page-qui-n-existe-pas", "/demarches/inconnue/etape/x"])
def test_error_pages_never_read_the_body_again(app, path):
    response = app.test_client().post(path, environ_overrides={
        "wsgi.input": UnreadableBody(), "CONTENT_LENGTH": "100", "CONTENT_TYPE": "application/x-www-form-urlencoded"})
    assert 400 <= response.status_code < 600
    assert '<html lang="fr">' in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/static/abc/css/%00", "/static/abc/css/a%00b.css", "/static/abc/..%2f..%2fREADME.md",
                                  "/fiches/a%00b", "/glossaire/%00", "/demarches/%00", "/suivi/%00"])
def test_nul_bytes_and_traversal_in_urls_are_not_found(client, path):
    assert client.get(path).status_code == 404


def _end_anchored_patterns() -> list[str]:
    """Patterns of the application that end with "$" without re.MULTILINE: "$" also matches before a final
    "\\n", so "abc\\n" passes a check meant for "abc". (lexicon's text-analysis patterns work on lines.)"""
    found = []
    for source in REPO.glob("guichet/**/*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "re" and node.args
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                continue
            flags = ast.unparse(node)
            if node.args[0].value.endswith("$") and "MULTILINE" not in flags and "re.M" not in flags:
                found.append(f"{source.relative_to(REPO)}:{node.lineno}: {node.args[0].value}")
    return found


def test_no_regular_expression_trusts_dollar_as_the_end():
    assert _end_anchored_patterns() == [], "use fullmatch (or \\Z) instead of ending a pattern with $"


# --- The development mailbox: emails hold tracking links to other people's requests ---------------------

def _an_email_with_a_tracking_link(app) -> str:
    client = app.test_client()
    from a11y.walker import submit, walk_to_check
    with app.app_context():
        demarche = catalogue().get("changement-adresse")
    submit(client, demarche, walk_to_check(client, demarche))
    with app.app_context():
        message = db.session().scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
        return re.search(r"ADM-[0-9]{4}-[0-9]{6}", message.subject).group(0)


def test_development_mailbox_needs_a_signed_in_staff_member(app):
    reference = _an_email_with_a_tracking_link(app)
    client = app.test_client()
    for path in ["/gestion/dev/courriels", "/gestion/dev/courriels?jeton=%00", "/dev/courriels"]:
        response = client.get(path)
        assert response.status_code in (302, 404), path
        assert response.status_code == 404 or response.headers["Location"].startswith("/gestion/connexion")
        html = response.get_data(as_text=True)
        assert reference not in html and "/suivi/lien" not in html


def test_development_mailbox_opens_for_staff(app, make_staff):
    from tests.gestion.conftest import open_session
    reference = _an_email_with_a_tracking_link(app)
    client = app.test_client()
    open_session(app, client, make_staff())
    page = client.get("/gestion/dev/courriels")
    assert page.status_code == 200 and reference in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"


def test_development_mailbox_does_not_exist_outside_development(app, tmp_path, monkeypatch, make_staff):
    from guichet import db
    from guichet.gestion.access import SESSION_KEY
    from guichet.staff import signin
    from guichet.staff.models import StaffMember
    from tests.conftest import build_app
    monkeypatch.setenv("GUICHET_ENV", "production")
    production = build_app(f"sqlite:///{tmp_path / 'production.sqlite3'}")
    with production.app_context():
        session = db.session()
        member = StaffMember(email="agent@admiville.test", given_name="A", family_name="B", failed_attempts=0)
        session.add(member)
        session.flush()
        token = signin.start_session(session, member, "local")
        session.commit()
    client = production.test_client()
    with client.session_transaction() as cookie:
        cookie[SESSION_KEY] = token
    assert client.get("/gestion/dev/courriels").status_code == 404


def test_no_public_page_links_to_the_development_pages(app, client):
    from guichet.citizen.views.system import public_urls
    with app.test_request_context():
        urls = public_urls()
    for url in urls[:40]:
        assert "/dev/" not in client.get(url).get_data(as_text=True), url
