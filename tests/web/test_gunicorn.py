"""Against a real gunicorn, as `make run` starts it (gunicorn.conf.py, a throw-away SQLite database).

What the Flask test client cannot show: the server's own headers, and what happens on the wire
when a client sends a body over the limit.
"""
import http.client
import http.cookiejar
import os
import subprocess
import sys
from collections import defaultdict

import pytest

from a11y.bench_demarches import REPO, HttpClient, _free_port, _wait_until_up
from a11y.walker import start
from guichet.demarches.catalogue import catalogue
from tests.conftest import build_app

THIRTEEN_MB = 13 * 1024 * 1024


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("gunicorn")
    database_url = f"sqlite:///{folder / 'guichet.sqlite3'}"
    build_app(database_url)
    port = _free_port()
    environment = dict(os.environ, DATABASE_URL=database_url, UPLOAD_DIR=str(folder / "uploads"),
                       GUICHET_ENV="development")
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "--bind",
                                f"127.0.0.1:{port}", "--workers", "1", "--threads", "2", "--graceful-timeout", "3",
                                "--log-level", "warning",
                                "wsgi:app"], cwd=REPO, env=environment)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # a worker still busy with a refused upload
            process.kill()
            process.wait(timeout=10)


def _send(port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
    """(status, headers, text); a server may answer before reading a body it refuses."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.putrequest(method, path)
        for name, value in {**(headers or {}), "Content-Length": str(len(body or b""))}.items():
            connection.putheader(name, value)
        connection.endheaders()
        try:
            if body:
                connection.send(body)
        except (BrokenPipeError, ConnectionResetError):
            pass
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def test_no_response_names_the_server(server):
    for method, path in [("GET", "/"), ("GET", "/page-inconnue"), ("GET", "/healthz"), ("POST", "/suivi")]:
        status, headers, _text = _send(server, method, path)
        assert status < 500
        names = {name.lower(): value for name, value in headers}
        assert "gunicorn" not in names.get("server", "").lower(), (path, names)
        assert "gunicorn" not in str(headers).lower()


def _step_and_cookie(app, port: int) -> tuple[str, str]:
    client = HttpClient(f"http://127.0.0.1:{port}", defaultdict(list))
    with app.app_context():
        demarche = catalogue().get("changement-adresse")
    location = start(client, demarche).headers["Location"]
    jar = next(handler.cookiejar for handler in client.opener.handlers
               if isinstance(getattr(handler, "cookiejar", None), http.cookiejar.CookieJar))
    return location, "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


@pytest.mark.parametrize("target", ["/suivi", "step"])
def test_a_13_mb_post_gets_the_french_413_page(app, server, target):
    path, cookie = _step_and_cookie(app, server) if target == "step" else (target, "")
    status, _headers, text = _send(server, "POST", path, b"x" * THIRTEEN_MB, {
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    assert status == 413
    assert '<html lang="fr">' in text and "Fichier trop lourd" in text
