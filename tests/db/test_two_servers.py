"""Two gunicorn servers on one PostgreSQL database, as behind a load balancer.

A person starts on server A, sends a photo there, and finishes on server B with the same
cookies: B shows the photo on the check page and the request keeps its bytes (in the database,
not on either server's disk). A resume code made on A works on B, and the rate limit counts the
attempts made on both servers together.
"""
import os
import re
import secrets
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from io import BytesIO

import pytest
from PIL import Image
from sqlalchemy import create_engine, select, text

from a11y.bench_demarches import HttpClient, start_gunicorn, stop
from a11y.walker import STEP_RE, submit, token_of, walk_to_check
from guichet import create_app, db
from guichet.db.migrate import upgrade
from guichet.demarches import flow
from guichet.demarches.catalogue import catalogue
from guichet.demarches.models import StoredFileBlob
from guichet.requests.models import DemarcheRequest

SLUG = "signaler-probleme-voie-publique"
TRACKING_LIMIT = 4


@pytest.fixture(scope="module")
def shared_database(postgres_url):
    """A database of its own on the throw-away server, so counts and rate limits start from zero."""
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("DROP DATABASE IF EXISTS two_servers"))
        connection.execute(text("CREATE DATABASE two_servers"))
    admin.dispose()
    url = postgres_url.rsplit("/", 1)[0] + "/two_servers"
    upgrade(url)
    return url


@pytest.fixture(scope="module")
def servers(shared_database, tmp_path_factory):
    """Servers A and B: same database and SECRET_KEY, each its own port and upload folder."""
    folder = tmp_path_factory.mktemp("two-servers")
    common = {key: value for key, value in os.environ.items() if key != "FILE_STORAGE"}
    common.update(DATABASE_URL=shared_database, SECRET_KEY=secrets.token_hex(32), GUICHET_ENV="development",
                  TRUST_PROXY="true", RATE_LIMIT_TRACKING=f"{TRACKING_LIMIT}/600")
    environments = {name: {**common, "UPLOAD_DIR": str(folder / f"uploads-{name}")} for name in ("A", "B")}
    with ThreadPoolExecutor(max_workers=2) as pool:
        launched = {name: pool.submit(start_gunicorn, environment) for name, environment in environments.items()}
    started = {name: future.result() for name, future in launched.items() if future.exception() is None}
    try:
        assert len(started) == 2, [future.exception() for future in launched.values()]
        yield {name: (*started[name], environments[name]) for name in started}
    finally:
        for process, _url in started.values():
            stop(process)


def browser_on(url: str, address: str | None = None) -> HttpClient:
    """A browser without JS; `address` is what the load balancer says in X-Forwarded-For."""
    client = HttpClient(url, defaultdict(list))
    if address:
        client.opener.addheaders.append(("X-Forwarded-For", address))
    return client


def test_a_journey_moves_from_server_a_to_server_b(servers, shared_database, tmp_path):
    url_a, url_b = servers["A"][1], servers["B"][1]
    app = create_app({"DATABASE_URL": shared_database})
    with app.app_context():
        item = catalogue().get(SLUG)
    file_pages = {page.id for page in flow.all_pages(item) if any(q.type == "file" for q in page.questions)}
    person = browser_on(url_a)
    seen = {"file_page": None}

    def on_page(location, shown):
        """On A until the photo is sent; then a resume code made on A, used on B; then on to B."""
        page_id = STEP_RE.search(location).group(1)
        if person.base_url == url_a and seen["file_page"] and page_id != seen["file_page"]:
            _resume_on_b_with_a_code_made_on_a(person, url_b, location, seen["file_page"])
            person.base_url = url_b
        if page_id in file_pages:
            seen["file_page"] = page_id

    check_html = walk_to_check(person, item, on_page=on_page, all_files=True)
    assert person.base_url == url_b and seen["file_page"] == "photo"
    assert "photo.png" in check_html, "server B lists the file sent to server A"
    sent = submit(person, item, check_html)
    assert sent.status_code == 302
    receipt = person.get(sent.headers["Location"]).get_data(as_text=True)
    reference = re.search(r"ADM-\d{4}-\d{6}", receipt).group(0)

    with app.app_context():
        request_row = db.session().scalar(select(DemarcheRequest).where(DemarcheRequest.reference == reference))
        [stored] = request_row.files
        blob = db.session().get(StoredFileBlob, stored.id).content
    exported = tmp_path / "exported"
    listing = app.test_cli_runner().invoke(args=["requests", "files", reference, str(exported)])
    assert listing.exit_code == 0 and "photo.png" in listing.output
    [exported_file] = exported.iterdir()
    assert exported_file.read_bytes() == blob
    assert Image.open(BytesIO(blob)).size == (40, 30)
    for name in ("A", "B"):
        upload_dir = servers[name][2]["UPLOAD_DIR"]
        assert not os.path.exists(upload_dir) or not os.listdir(upload_dir), f"server {name} wrote to its disk"


def _resume_on_b_with_a_code_made_on_a(person: HttpClient, url_b: str, location: str, file_page: str) -> None:
    saved = person.get(f"/demarches/{SLUG}/enregistrer").get_data(as_text=True)
    code = re.search(r'class="code-reprise" lang="fr">([A-Z0-9-]+)<', saved).group(1)
    other_computer = browser_on(url_b)
    form = other_computer.get("/reprendre").get_data(as_text=True)
    resumed = other_computer.post("/reprendre", data={"csrf_token": token_of(form), "code": code})
    assert resumed.status_code == 302 and resumed.headers["Location"].endswith(location)
    assert other_computer.get(location).status_code == 200
    photo_page = other_computer.get(f"/demarches/{SLUG}/etape/{file_page}").get_data(as_text=True)
    assert "photo.png" in photo_page


def test_rate_limits_count_attempts_on_both_servers(servers):
    address = "192.0.2.77"
    on_a, on_b = browser_on(servers["A"][1], address), browser_on(servers["B"][1], address)
    on_b.opener = on_a.opener  # the same browser, sent to A or B by the load balancer

    def wrong_lookup(client: HttpClient) -> int:
        token = token_of(client.get("/suivi").get_data(as_text=True))
        return client.post("/suivi", data={"csrf_token": token, "reference": "ADM-2026-999999",
                                           "secret": "AAAA-AAAA-AAAA"}).status_code

    half = TRACKING_LIMIT // 2
    statuses = [wrong_lookup(on_a) for _ in range(half)] + [wrong_lookup(on_b) for _ in range(half)]
    assert statuses == [400] * TRACKING_LIMIT
    assert [wrong_lookup(on_a), wrong_lookup(on_b)] == [429, 429]
    assert wrong_lookup(browser_on(servers["A"][1], "192.0.2.78")) == 400, "another person is not limited"
