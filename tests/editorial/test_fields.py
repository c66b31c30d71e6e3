import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guichet.content.frontmatter import compose, split
from guichet.editorial.fields import FicheFields, FieldProblem, fields_from_meta, meta_from_fields
from guichet.paths import CONTENT_DIR

SEED = sorted((CONTENT_DIR / "fr").glob("*.md"))


@pytest.mark.parametrize("path", SEED, ids=lambda path: path.stem)
def test_every_seed_header_survives_the_form(path):
    meta, body, _line = split(path.read_text(encoding="utf-8"))
    again = meta_from_fields(meta["slug"], fields_from_meta(meta))
    assert {k: v for k, v in again.items() if v != []} == {k: v for k, v in meta.items() if v != []}
    meta_again, body_again, _line = split(compose(again, body))
    assert meta_again == again and body_again.strip() == body.strip()


def test_a_decorative_image_and_an_unreadable_line():
    fields = FicheFields(title="T", summary="S.", verified="2026-12-01", sources="Loi | https://example.test",
                         images="motif.svg | décorative")
    assert meta_from_fields("x", fields)["images"] == [{"file": "motif.svg", "decorative": True}]
    with pytest.raises(FieldProblem) as problem:
        meta_from_fields("x", FicheFields(verified="2026-12-01", images="motif.svg"))
    assert problem.value.field == "images"
    with pytest.raises(FieldProblem) as problem:
        meta_from_fields("x", FicheFields(verified="01/12/2026"))
    assert problem.value.field == "verified"


words = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)


@given(title=words, summary=words, keywords=st.lists(words.filter(lambda w: "," not in w and w.strip() == w and w),
                                                       max_size=4))
def test_any_typed_header_composes_a_file_that_reads_back_the_same(title, summary, keywords):
    fields = FicheFields(title=title, summary=summary, keywords=", ".join(keywords), verified="2026-12-01",
                         owner_service="etat-civil")
    meta = meta_from_fields("essai", fields)
    read, _body, _line = split(compose(meta, "## Qui est concerné\n\nVous."))
    assert read["title"] == meta["title"] and read["keywords"] == meta["keywords"]
    assert " ".join(str(read["summary"]).split()) == meta["summary"]
    assert read["verified"] == datetime.date(2026, 12, 1)
