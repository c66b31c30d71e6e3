"""Supporting documents, fed any bytes and any file name: a stored file or a plain French refusal."""
import io

import pytest
from hypothesis import example, given, strategies as st
from PIL import Image
from werkzeug.datastructures import FileStorage

from guichet import db
from guichet.demarches import files, storage
from tests.demarches.test_answer_properties import CONTROL_RE, _check_message

SIGNATURES = [b"", b"%PDF-", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n"]


def _image(kind: str) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (30, 20), (10, 120, 200)).save(output, kind)
    return output.getvalue()


# The IHDR chunk's length says 0: Pillow raises ValueError, not OSError.
BROKEN_PNG = _image("PNG")[:11] + b"\x00" + _image("PNG")[12:]
CONTENT = st.one_of(
    st.builds(lambda head, tail: head + tail, st.sampled_from(SIGNATURES), st.binary(max_size=300)),
    # A real image cut or altered somewhere: the decoder meets a broken file deep inside.
    st.builds(lambda data, cut, flip: data[:cut] + bytes([flip]) + data[cut + 1:],
              st.sampled_from([_image("PNG"), _image("JPEG")]), st.integers(8, 48), st.integers(0, 255)),
)
NAMES = st.one_of(st.none(), st.text(max_size=300), st.sampled_from(["../../etc/passwd", "/", "a\x00.pdf", "..",
                                                                       "\u202egnp.exe", "C:\\x\\y.pdf"]))


@pytest.fixture
def upload_dir(app, tmp_path):
    with app.app_context():
        previous = app.config["UPLOAD_DIR"]
        app.config["UPLOAD_DIR"] = str(tmp_path)
        yield tmp_path
        app.config["UPLOAD_DIR"] = previous


@example(content=BROKEN_PNG, name="plan.png", accept=("png",))
@given(content=CONTENT, name=NAMES, accept=st.sampled_from([("pdf",), ("jpeg", "png"), ("pdf", "jpeg", "png")]))
def test_any_upload_is_stored_safely_or_refused_in_plain_french(upload_dir, content, name, accept):
    upload = FileStorage(stream=io.BytesIO(content), filename=name)
    try:
        stored = files.store_upload(db.session(), upload, accept, 1024 * 1024, "piece", None)
    except files.UploadError as error:
        _check_message(error)
        return
    assert stored.mimetype in files.MIMETYPES.values() and files.sniff(content[:16]) in accept
    assert 0 < len(stored.original_name) <= 200 and not CONTROL_RE.search(stored.original_name)
    assert "/" not in stored.original_name and storage.backend().read(db.session(), stored)
