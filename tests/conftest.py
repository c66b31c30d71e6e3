"""Shared fixtures: a content-loaded app on SQLite, a real PostgreSQL server, a live server, a browser.

Under CI=true a missing browser or database fails the run; elsewhere those tests are skipped.
"""
import os
import re
import threading

import pytest
from hypothesis import HealthCheck, settings
from werkzeug.serving import make_server
from werkzeug.test import TestResponse

from guichet.db.bootstrap import ready_app

IN_CI = os.environ.get("CI") == "true"
# Tests read pages as a person does: the French non-breaking spaces that the typography puts before
# "?", ":" or inside "8 h 30" read as spaces. The typography itself is tested on the bytes sent
# (tests/web/test_typography.py).
_READ_AS_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " "})
_get_data = TestResponse.get_data


def _get_data_as_read(self, as_text: bool = False):
    data = _get_data(self, as_text=as_text)
    return data.translate(_READ_AS_SPACES) if as_text else data


TestResponse.get_data = _get_data_as_read


def as_read(text: str) -> str:
    """Text from a browser or w3m, with the typography's non-breaking spaces read as spaces."""
    return text.translate(_READ_AS_SPACES)
TEST_OVERRIDES = {"TESTING": True, "RATE_LIMIT_REPORTS": (10_000, 600), "RATE_LIMIT_TRACKING": (10_000, 600),
                  "RATE_LIMIT_SIGN_IN": (10_000, 600), "RATE_LIMIT_APPOINTMENTS": (10_000, 600),
                  "RATE_LIMIT_CALLBACKS": (10_000, 600)}

# Property tests: few examples so the suite stays fast; in CI the same examples every run (reproducible).
settings.register_profile("guichet", max_examples=60, deadline=None, derandomize=IN_CI, database=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
settings.load_profile("guichet")


def require(available: bool, what: str) -> None:
    if not available:
        if IN_CI:
            pytest.fail(f"{what} is not available: under CI=true this is a failure, not a skip")
        pytest.skip(f"{what} is not available")


def build_app(database_url: str, **overrides):
    """Migrate the database, then load the real content, as `make run` does."""
    return ready_app(database_url, {**TEST_OVERRIDES, **overrides})


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    return build_app(f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'guichet.sqlite3'}")


@pytest.fixture
def client(app):
    return app.test_client()


def csrf_token(client, path: str = "/") -> str:
    """The CSRF token a real browser would have, read from a page's difficulty widget."""
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="(?:[a-z]+-)?csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


# --- PostgreSQL: a throw-away server in a temporary directory -------------------------------------------

@pytest.fixture(scope="session")
def postgres_url():
    from a11y.postgres import postgres_available, throwaway_postgres
    require(postgres_available(), "PostgreSQL (Debian package postgresql)")
    with throwaway_postgres() as url:
        yield url


@pytest.fixture(scope="session")
def pg_app(postgres_url):
    return build_app(postgres_url)


# --- A live server and a headless browser ----------------------------------------------------------------

class LiveServer:
    def __init__(self, app):
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *_exc):
        self.server.shutdown()


@pytest.fixture(scope="session")
def live_server(app):
    with LiveServer(app) as server:
        yield server


@pytest.fixture(scope="session")
def browser():
    from a11y.browser import chromium_available, start_chromium
    require(chromium_available(), "Chromium and ChromeDriver (Debian packages chromium, chromium-driver)")
    driver = start_chromium()
    try:
        yield driver
    finally:
        driver.quit()


# Staff members for any test that needs a signed-in back-office session (defined with the back-office tests).
from tests.gestion.conftest import make_staff  # noqa: E402,F401
