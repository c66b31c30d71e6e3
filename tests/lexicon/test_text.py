"""Front matter and Markdown → prose blocks whose positions point into the file."""

import pytest

from lexicon import InputError
from lexicon.text import parse

from .helpers import located


def blocks(text, filename=None):
    document = parse(text, filename=filename)
    return [(b.kind, *document.position(b.start), b.text.strip()) for b in document.blocks]


def test_front_matter_title_summary_and_alt_are_checked_with_their_lines():
    text = (
        "---\n"
        "slug: test\n"
        "title: S'inscrire\n"
        "summary: >-\n"
        "  Pour voter, inscrivez-vous.\n"
        "  C'est gratuit.\n"
        "keywords: [il convient de]\n"
        "images:\n"
        "  - file: urne.svg\n"
        '    alt: "Une urne."\n'
        "---\n"
        "Bonjour.\n"
    )
    found = blocks(text)
    assert [(kind, line, col) for kind, line, col, _ in found] == [
        ("title", 3, 8), ("summary", 5, 1), ("alt", 10, 11), ("paragraph", 12, 1),
    ]
    assert found[1][3].split() == "Pour voter, inscrivez-vous. C'est gratuit.".split()


def test_other_front_matter_keys_are_ignored(run):
    text = "---\ntitle: Bonjour\nkeywords: [CAF, il convient de, cliquez ici]\n---\nBonjour à vous.\n"
    assert run(text).findings == []


def test_code_html_urls_and_link_targets_are_ignored(run):
    text = (
        "Le code `il convient de` reste.\n\n"
        "```\nLE DOSSIER EST ENVOYÉ PAR LA CAF ET LA MDPH.\n```\n\n"
        "<!-- il convient de -->\n\n"
        '<span class="MDPH">Voir</span> le [guide](https://ex.fr/il-convient-de-CNAF "MDPH").\n'
    )
    assert run(text).findings == []


def test_emphasis_marks_do_not_break_words(run):
    report = run("Préparez une **pièce** *justificative*.")
    assert located(report) == [("lexique-expliquer", 1, 16)]


def test_positions_survive_crlf_line_ends_and_a_byte_order_mark(run):
    text = "\ufeff---\r\ntitle: Bonjour\r\n---\r\n\r\nContactez la MDPH.\r\n"
    assert located(run(text)) == [("sigle-non-explique", 5, 14)]


def test_columns_count_characters_not_bytes(run):
    assert located(run("Été : contactez la MDPH.")) == [("sigle-non-explique", 1, 20)]


def test_table_separator_and_thematic_break_are_not_prose():
    assert blocks("Avant\n\n---\n\n| A b | C d |\n|:--|--:|\n") == [
        ("paragraph", 1, 1, "Avant"), ("cell", 5, 2, "A b"), ("cell", 5, 8, "C d"),
    ]


def test_setext_heading_and_nested_list():
    assert blocks("Titre\n=====\n\n- un\n  - deux\n") == [
        ("heading", 1, 1, "Titre"), ("item", 4, 3, "un"), ("item", 5, 5, "deux"),
    ]


def test_unclosed_front_matter_is_an_input_error():
    with pytest.raises(InputError) as raised:
        parse("---\ntitle: x\n\nTexte.\n", filename="f.md")
    assert raised.value.line == 1 and raised.value.filename == "f.md"


def test_front_matter_yaml_error_names_its_line_in_the_file():
    with pytest.raises(InputError) as raised:
        parse("---\nslug: a\ntitle: a: b\n---\nTexte.\n", filename="f.md")
    assert raised.value.line == 3
    assert "YAML" in raised.value.message_fr and "YAML" in raised.value.message_en


def test_front_matter_must_be_a_mapping():
    with pytest.raises(InputError):
        parse("---\n- a\n- b\n---\nTexte.\n")


def test_form_definition_checks_user_facing_strings_only(run):
    form = (
        "slug: test\n"
        "service: etat-civil\n"
        "title: Demander un papier\n"
        "pages:\n"
        "  - id: identite\n"
        "    questions:\n"
        "      - id: nom\n"
        "        type: text\n"
        "        label: Votre nom\n"
        "        hint: Le dossier est envoyé par la MDPH.\n"
        "        when: {question: MDPH, equals: il convient de}\n"
    )
    found = blocks(form, filename="site/forms/test.yaml")
    assert [(kind, line, col) for kind, line, col, _ in found] == [("field", 3, 8), ("field", 9, 16), ("field", 10, 15)]
    assert located(run(form, filename="test.yaml")) == [
        ("voix-passive", 10, 26), ("sigle-non-explique", 10, 44),
    ]


def test_form_yaml_error_is_an_input_error_with_its_line():
    with pytest.raises(InputError) as raised:
        parse("title: ok\nlabel: [a\n", filename="forms/x.yaml")
    assert raised.value.filename == "forms/x.yaml" and raised.value.line == 3


def test_text_over_the_size_limit_is_refused_by_the_api(run):
    from lexicon import MAX_BYTES

    with pytest.raises(InputError) as raised:
        run("é" * (MAX_BYTES // 2 + 1), filename="gros.md")
    assert raised.value.filename == "gros.md" and "trop long" in raised.value.message_fr


def test_a_250_kb_fiche_is_checked_without_error(run):
    from lexicon.bench import generated_fiche

    text = generated_fiche(words=41_000)
    assert len(text.encode("utf-8")) > 250_000
    report = run(text)
    assert report.stats.words > 36_000 and report.findings
