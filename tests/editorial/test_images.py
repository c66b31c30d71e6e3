import pytest

from guichet.editorial.images import ImageProblem, checked_image
from guichet.paths import CONTENT_DIR

SVG_OPEN = b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 8 8">'


@pytest.mark.parametrize("path", sorted((CONTENT_DIR / "images").glob("*.svg")), ids=lambda path: path.name)
def test_every_seed_pictogram_passes_the_allow_list(path):
    name, clean = checked_image(path.name, path.read_bytes())
    assert name == path.name and clean.startswith(b"<svg")


@pytest.mark.parametrize("inside, reason", [
    (b"<script>alert(1)</script>", "script"),
    (b'<rect onclick="x()" width="1"/>', "onclick"),
    (b'<use xlink:href="https://ailleurs.test/a.svg#b"/>', "extérieur"),
    (b'<use href="data:image/svg+xml;base64,AAAA"/>', "lien"),
    (b'<rect fill="url(https://ailleurs.test/a)"/>', "extérieur"),
    (b'<rect style="fill:red"/>', "style"),
    (b"<foreignObject><p>x</p></foreignObject>", "foreignObject"),
    (b'<image href="#a"/>', "image"),
])
def test_what_can_run_or_fetch_is_refused_by_name(inside, reason):
    with pytest.raises(ImageProblem) as problem:
        checked_image("essai.svg", SVG_OPEN + inside + b"</svg>")
    assert reason in str(problem.value)


def test_entities_heavy_files_and_bad_names_are_refused():
    for name, data in [("essai.svg", b'<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg>&a;</svg>'),
                       ("essai.png", b"\x89PNG\r\n\x1a\n" + bytes(16 * 1024)), ("Essai Final.svg", SVG_OPEN + b"</svg>"),
                       ("essai.gif", b"GIF89a"), ("essai.png", SVG_OPEN + b"</svg>")]:
        with pytest.raises(ImageProblem):
            checked_image(name, data)


def test_local_references_and_text_are_kept():
    _name, clean = checked_image("essai.svg", SVG_OPEN + b'<defs><linearGradient id="g"/></defs>'
                                 b'<rect fill="url(#g)" width="8" height="8"/><text x="1">A<tspan>b</tspan>c</text></svg>')
    assert b'fill="url(#g)"' in clean and b"<text" in clean and b">A<tspan>b</tspan>c</text>" in clean
