"""Supporting documents: type checked by content, images downscaled, kept by the storage backend.

Re-encoding images also drops their metadata (a phone photo's EXIF can hold a GPS position).
"""
import io
import re
import secrets

from PIL import Image
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage

from guichet.demarches import storage
from guichet.demarches.models import StoredFile
from guichet.web.input import printable

SIGNATURES = {"pdf": (b"%PDF-",), "jpeg": (b"\xff\xd8\xff",), "png": (b"\x89PNG\r\n\x1a\n",)}
MIMETYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}
EXTENSIONS = {"pdf": "pdf", "jpeg": "jpg", "png": "png"}
FORMAT_NAMES = {"pdf": "PDF", "jpeg": "JPEG (photo)", "png": "PNG"}
MAX_IMAGE_SIDE = 2000


class UploadError(ValueError):
    """A file we refuse, with the reason in plain French."""


def sniff(head: bytes) -> str | None:
    for kind, signatures in SIGNATURES.items():
        if head.startswith(signatures):
            return kind
    return None


def limits_sentence(accept: tuple[str, ...], max_bytes: int) -> str:
    names = [FORMAT_NAMES[kind] for kind in accept]
    formats = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " ou " + names[-1]
    return f"Format {formats}. {max_bytes // (1024 * 1024)} Mo au maximum."


def store_upload(db: Session, upload: FileStorage, accept: tuple[str, ...], max_bytes: int, question: str,
                 item: int | None) -> StoredFile:
    """Check the upload, then store it under a random name in the caller's transaction (the caller commits)."""
    data = upload.stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UploadError(f"Le fichier est trop lourd : {max_bytes // (1024 * 1024)} Mo au maximum. "
                          "Essayez une photo moins grande ou un PDF plus léger.")
    if not data:
        raise UploadError("Le fichier est vide. Choisissez un autre fichier.")
    kind = sniff(data[:16])
    if kind not in accept:
        raise UploadError(f"Ce type de fichier n'est pas accepté. {limits_sentence(accept, max_bytes)}")
    if kind in ("jpeg", "png"):
        data = _downscale(data, kind)
    stored = StoredFile(question=question, item=item, original_name=display_name(upload.filename),
                        stored_name=f"{secrets.token_hex(16)}.{EXTENSIONS[kind]}", mimetype=MIMETYPES[kind],
                        size=len(data))
    storage.backend().write(db, stored, data)
    return stored


def display_name(filename: str | None) -> str:
    """The name shown back to the person: the last part of any path (Windows too), printable, 200 characters."""
    name = printable(re.split(r"[/\\]", filename or "")[-1]).strip()[:200].strip()
    return name if name not in ("", ".", "..") else "document"


def _downscale(data: bytes, kind: str) -> bytes:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
            output = io.BytesIO()
            if kind == "jpeg":
                image.convert("RGB").save(output, "JPEG", quality=85, optimize=True)
            else:
                image.save(output, "PNG", optimize=True)
    except Exception as error:  # Pillow raises OSError, SyntaxError, ValueError… on a broken file
        raise UploadError("Cette image est abîmée ou illisible. Choisissez un autre fichier.") from error
    return output.getvalue()
