"""Deleting a request and everything attached to it, bytes of files included, in the caller's transaction."""
from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from guichet.demarches import storage
from guichet.demarches.models import Draft, StoredFile
from guichet.people.models import PersonLink
from guichet.requests.models import DemarcheRequest, RequestMessage


def delete_request(db: Session, request: DemarcheRequest) -> int:
    """Delete the request, its answers, history, messages, events and files; returns how many files went.

    Files are deleted through the storage backend (database bytes now, disk bytes after the commit);
    statuses, versions, events, messages and missing-documents requests go with the request (cascade).
    """
    messages = select(RequestMessage.id).where(RequestMessage.request_id == request.id)
    files = list(db.scalars(select(StoredFile).where(
        or_(StoredFile.request_id == request.id, StoredFile.message_id.in_(messages)))))
    drafts = list(db.scalars(select(Draft).where(or_(Draft.request_id == request.id,
                                                      Draft.rectifies_id == request.id))))
    backend = storage.backend()
    for stored in files + [stored for draft in drafts for stored in draft.files]:
        backend.delete(db, stored)
        db.delete(stored)
    db.flush()
    for draft in drafts:
        db.delete(draft)
    db.execute(delete(PersonLink).where(PersonLink.request_id == request.id))
    db.expire(request, ["files"])
    db.delete(request)
    db.flush()
    return len(files)
