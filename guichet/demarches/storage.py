"""Where the bytes of supporting documents live: a local folder, or the database itself.

`FILE_STORAGE` chooses the backend; unset, it is `database` with PostgreSQL and `disk` with
SQLite. Every backend has the same four operations, all given the caller's session:
`write`, `read`, `delete` and `purge_orphans`. A StoredFile row says what the file is; the
backend keeps its bytes under that row, so moving a file from a draft to a request (at
submission) is only a change of the row's owner, in the same transaction.

- `DatabaseStorage` adds the bytes to the caller's transaction (table `stored_file_blobs`, one
  row per StoredFile, deleted with it by ON DELETE CASCADE). Nothing is visible before the commit
  and a rollback leaves nothing behind: every server behind a load balancer sees the same files,
  and one database backup holds everything.
- `DiskStorage` writes into `UPLOAD_DIR` at once (before the caller commits) and deletes only
  after a commit. The trade-off: a crash or a rollback between the write and the commit leaves a
  file that no row knows, never a row without its file. `flask drafts purge` removes those orphan
  files once they are older than `ORPHAN_GRACE` (younger ones may belong to an upload in progress).
  Several servers need a shared folder for this backend.
"""
import time
from datetime import timedelta
from pathlib import Path
from typing import Protocol

from flask import current_app
from sqlalchemy import delete, event, select
from sqlalchemy.orm import Session

from guichet.demarches.models import StoredFile, StoredFileBlob

ORPHAN_GRACE = timedelta(hours=1)
_UNLINK_AFTER_COMMIT = "guichet_unlink_after_commit"


class FileStorage(Protocol):
    def write(self, db: Session, stored: StoredFile, data: bytes) -> None: ...

    def read(self, db: Session, stored: StoredFile) -> bytes: ...

    def delete(self, db: Session, stored: StoredFile) -> None: ...

    def purge_orphans(self, db: Session) -> int: ...


class DatabaseStorage:
    """Bytes in `stored_file_blobs`, inside the caller's transaction (the caller commits)."""

    def write(self, db: Session, stored: StoredFile, data: bytes) -> None:
        db.add(StoredFileBlob(file=stored, content=data))

    def read(self, db: Session, stored: StoredFile) -> bytes:
        content = db.scalar(select(StoredFileBlob.content).where(StoredFileBlob.file_id == stored.id))
        if content is None:
            raise FileNotFoundError(f"no bytes in the database for file {stored.id}")
        return content

    def delete(self, db: Session, stored: StoredFile) -> None:
        db.execute(delete(StoredFileBlob).where(StoredFileBlob.file_id == stored.id))

    def purge_orphans(self, db: Session) -> int:
        """Nothing to do: a blob cannot outlive its StoredFile (foreign key, ON DELETE CASCADE)."""
        return 0


class DiskStorage:
    """Bytes in a folder, under the StoredFile's random name; deletions wait for the commit."""

    def __init__(self, folder: Path):
        self.folder = folder

    def _path(self, stored: StoredFile) -> Path:
        return self.folder / stored.stored_name

    def write(self, db: Session, stored: StoredFile, data: bytes) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self._path(stored).write_bytes(data)

    def read(self, db: Session, stored: StoredFile) -> bytes:
        return self._path(stored).read_bytes()

    def delete(self, db: Session, stored: StoredFile) -> None:
        db.info.setdefault(_UNLINK_AFTER_COMMIT, []).append(self._path(stored))

    def purge_orphans(self, db: Session) -> int:
        """Delete files no StoredFile names, once older than ORPHAN_GRACE; returns how many."""
        if not self.folder.is_dir():
            return 0
        known = set(db.scalars(select(StoredFile.stored_name)))
        oldest_allowed = time.time() - ORPHAN_GRACE.total_seconds()
        removed = 0
        for path in self.folder.iterdir():
            if path.is_file() and path.name not in known and path.stat().st_mtime < oldest_allowed:
                path.unlink(missing_ok=True)
                removed += 1
        return removed


@event.listens_for(Session, "after_commit")
def _unlink_deleted_files(session: Session) -> None:
    for path in session.info.pop(_UNLINK_AFTER_COMMIT, []):
        path.unlink(missing_ok=True)


@event.listens_for(Session, "after_rollback")
def _keep_files_of_rolled_back_deletions(session: Session) -> None:
    session.info.pop(_UNLINK_AFTER_COMMIT, None)


def backend_name(config) -> str:
    """FILE_STORAGE if set, else `database` for PostgreSQL (several servers) and `disk` for SQLite."""
    on_postgres = config["DATABASE_URL"].startswith("postgresql")
    return config.get("FILE_STORAGE") or ("database" if on_postgres else "disk")


def backend() -> FileStorage:
    """The backend of the current app's configuration."""
    if backend_name(current_app.config) == "database":
        return DatabaseStorage()
    return DiskStorage(Path(current_app.config["UPLOAD_DIR"]))
