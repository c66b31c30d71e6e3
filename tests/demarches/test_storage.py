"""Both file storage backends behave the same: write, read, delete, in the caller's transaction.

Each test runs on the disk backend (SQLite), the database backend on SQLite and the database
backend on PostgreSQL; only what the disk backend documents as its trade-off differs.
"""
import io
import os
import re
import time

import pytest
from sqlalchemy import func, select

from guichet import create_app, db
from guichet.db.migrate import upgrade
from guichet.demarches import drafts, storage
from guichet.demarches.catalogue import catalogue
from guichet.demarches.models import Draft, StoredFile, StoredFileBlob
from guichet.requests.models import DemarcheRequest
from a11y.walker import small_png, submit, token_of, walk_to_check
from tests.citizen.views.test_demarches import _walk_to_file_page

BACKENDS = ["disk", "database", "database-postgresql"]


@pytest.fixture(scope="module", params=BACKENDS)
def storage_app(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(request.param)
    if request.param == "database-postgresql":
        url = request.getfixturevalue("pg_app").config["DATABASE_URL"]
    else:
        url = f"sqlite:///{folder / 'guichet.sqlite3'}"
        upgrade(url)
    return create_app({"TESTING": True, "DATABASE_URL": url, "UPLOAD_DIR": str(folder / "uploads"),
                       "FILE_STORAGE": request.param.split("-")[0]})


@pytest.fixture
def session(storage_app):
    with storage_app.app_context():
        yield db.session()


def new_file(session, data: bytes = b"%PDF-1.4 test") -> StoredFile:
    """A draft with one stored file, written but not committed."""
    draft = drafts.create(session, "signaler-probleme-voie-publique", "1")
    stored = StoredFile(question="photo", original_name="doc.pdf", stored_name=f"{os.urandom(16).hex()}.pdf",
                        mimetype="application/pdf", size=len(data))
    draft.files.append(stored)
    storage.backend().write(session, stored, data)
    return stored


def bytes_of(stored_id: int) -> bytes | None:
    """Read through a fresh session, as another request (or another server) would."""
    db.session().close()
    fresh = db.session()
    stored = fresh.get(StoredFile, stored_id)
    if stored is None:
        return None
    try:
        return storage.backend().read(fresh, stored)
    except FileNotFoundError:
        return None


def test_the_configured_backend_is_used(storage_app):
    with storage_app.app_context():
        expected = storage.DatabaseStorage if storage_app.config["FILE_STORAGE"] == "database" else storage.DiskStorage
        assert isinstance(storage.backend(), expected)


def test_write_read_delete(session):
    stored = new_file(session, b"%PDF-1.4 hello")
    session.commit()
    assert bytes_of(stored.id) == b"%PDF-1.4 hello"
    session = db.session()
    stored = session.get(StoredFile, stored.id)
    storage.backend().delete(session, stored)
    session.delete(stored)
    session.commit()
    assert bytes_of(stored.id) is None
    with pytest.raises(FileNotFoundError):
        storage.backend().read(db.session(), stored)


def test_a_rolled_back_deletion_keeps_the_bytes(session):
    stored = new_file(session, b"%PDF-1.4 keep me")
    session.commit()
    storage.backend().delete(session, stored)
    session.delete(stored)
    session.flush()
    session.rollback()
    assert bytes_of(stored.id) == b"%PDF-1.4 keep me"


def test_deleting_the_draft_deletes_the_bytes(session):
    stored = new_file(session)
    session.commit()
    drafts.erase(session, stored.draft)
    session.commit()
    assert bytes_of(stored.id) is None
    if isinstance(storage.backend(), storage.DiskStorage):
        assert not (storage.backend().folder / stored.stored_name).exists()


def test_a_rolled_back_upload_leaves_no_bytes_in_the_database_and_the_disk_orphan_is_purged(session):
    backend = storage.backend()
    blobs_before = session.scalar(select(func.count()).select_from(StoredFileBlob))
    stored = new_file(session, b"%PDF-1.4 never committed")
    session.flush()
    name = stored.stored_name
    session.rollback()
    assert session.scalar(select(StoredFile).where(StoredFile.stored_name == name)) is None
    assert session.scalar(select(func.count()).select_from(StoredFileBlob)) == blobs_before
    if isinstance(backend, storage.DiskStorage):
        orphan = backend.folder / name  # the documented trade-off: on disk until the purge
        assert orphan.exists()
        assert backend.purge_orphans(session) == 0, "a young file may belong to an upload in progress"
        aged = time.time() - storage.ORPHAN_GRACE.total_seconds() - 60
        os.utime(orphan, (aged, aged))
        assert drafts.purge(session).orphan_files == 1
        session.commit()
        assert not orphan.exists()
    else:
        assert backend.purge_orphans(session) == 0


def test_the_purge_keeps_files_that_a_row_names(session):
    stored = new_file(session)
    session.commit()
    backend = storage.backend()
    if isinstance(backend, storage.DiskStorage):
        aged = time.time() - storage.ORPHAN_GRACE.total_seconds() - 60
        os.utime(backend.folder / stored.stored_name, (aged, aged))
    drafts.purge(session)
    session.commit()
    assert bytes_of(stored.id) == b"%PDF-1.4 test"


def test_uploads_and_file_removal_over_http_use_the_backend(storage_app):
    client = storage_app.test_client()
    with storage_app.app_context():
        item = catalogue().get("signaler-probleme-voie-publique")
    location, page, token = _walk_to_file_page(client, item)
    question = next(question for question in page.questions if question.type == "file")
    response = client.post(location, data={"csrf_token": token, "action": "continuer",
                                           question.id: (io.BytesIO(small_png()), "trou.png")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    with storage_app.app_context():
        draft_id = client.get_cookie(drafts.cookie_name(item.slug)).value
        stored = db.session().scalar(select(StoredFile).where(StoredFile.draft_id == draft_id))
        assert bytes_of(stored.id).startswith(b"\x89PNG")
    html = client.get(location).get_data(as_text=True)
    removed = client.post(f"/demarches/{item.slug}/fichier/{stored.id}/supprimer",
                          data={"csrf_token": token_of(html)})
    assert removed.status_code == 302
    with storage_app.app_context():
        assert bytes_of(stored.id) is None
        assert db.session().get(Draft, draft_id).files == []


def test_submission_hands_the_files_and_their_bytes_to_the_request(storage_app):
    client = storage_app.test_client()
    with storage_app.app_context():
        item = catalogue().get("signaler-probleme-voie-publique")
    check_html = walk_to_check(client, item, all_files=True)
    assert "photo.png" in check_html
    receipt = client.get(submit(client, item, check_html).headers["Location"]).get_data(as_text=True)
    reference = re.search(r"ADM-\d{4}-\d{6}", receipt).group(0)
    with storage_app.app_context():
        request_row = db.session().scalar(select(DemarcheRequest).where(DemarcheRequest.reference == reference))
        [stored] = request_row.files
        assert stored.draft_id is None and stored.original_name == "photo.png"
        assert bytes_of(stored.id).startswith(b"\x89PNG")


def test_the_default_backend_follows_the_database():
    assert storage.backend_name({"DATABASE_URL": "postgresql+psycopg://u@h/db"}) == "database"
    assert storage.backend_name({"DATABASE_URL": "sqlite:///x.sqlite3"}) == "disk"
    assert storage.backend_name({"DATABASE_URL": "postgresql+psycopg://u@h/db", "FILE_STORAGE": "disk"}) == "disk"
