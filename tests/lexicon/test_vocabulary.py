"""Vocabulary: strict loader, term matching, search synonyms, glossary order."""

import textwrap

import pytest

from lexicon import CATEGORIES, LEVELS, VocabularyError, load_vocabulary

VALID = """\
- term: pièce justificative
  slug: piece-justificative
  category: jargon administratif
  level: à expliquer
  definition: Un document qui prouve ce que vous dites.
"""


def write(tmp_path, text, name="test.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def load_error(tmp_path, text, name="test.yaml") -> VocabularyError:
    write(tmp_path, text, name)
    with pytest.raises(VocabularyError) as raised:
        load_vocabulary(tmp_path)
    return raised.value


# --- loader --------------------------------------------------------------------


def test_valid_file_loads_with_defaults(tmp_path):
    vocabulary = load_vocabulary(write(tmp_path, VALID))
    entry = vocabulary.get("piece-justificative")
    assert entry.term == "pièce justificative"
    assert entry.variants == () and entry.replacements == () and entry.synonyms == ()
    assert entry.expansion is None and entry.source is None


def test_missing_required_field_names_file_entry_and_field(tmp_path):
    error = load_error(tmp_path, VALID.replace("  level: à expliquer\n", ""))
    assert error.file.endswith("test.yaml") and error.index == 1 and error.field == "level"
    assert "test.yaml" in str(error) and "entrée n° 1" in str(error) and "« level »" in str(error)
    assert "piece-justificative" in str(error)


def test_unknown_category_lists_the_allowed_values(tmp_path):
    error = load_error(tmp_path, VALID.replace("jargon administratif", "jargon"))
    assert error.field == "category"
    assert all(category in str(error) for category in CATEGORIES)


def test_unknown_level_is_refused(tmp_path):
    error = load_error(tmp_path, VALID.replace("à expliquer", "a expliquer"))
    assert error.field == "level" and all(level in str(error) for level in LEVELS)


def test_second_entry_is_named_by_its_index_and_slug(tmp_path):
    second = VALID.replace("piece-justificative", "autre").replace("pièce justificative", "autre chose")
    error = load_error(tmp_path, VALID + second.replace("definition: Un", "definition: 3\n  synonyms: papier\n  x: Un"))
    assert error.index == 2 and error.slug == "autre"


def test_unknown_field_is_refused(tmp_path):
    error = load_error(tmp_path, VALID + "  colour: blue\n")
    assert error.field == "colour"


def test_list_field_must_be_a_list_of_texts(tmp_path):
    error = load_error(tmp_path, VALID + "  variants: justificatif\n")
    assert error.field == "variants"


def test_text_field_must_be_text(tmp_path):
    error = load_error(tmp_path, VALID.replace("Un document qui prouve ce que vous dites.", "[a, b]"))
    assert error.field == "definition"


def test_bad_slug_is_refused(tmp_path):
    error = load_error(tmp_path, VALID.replace("slug: piece-justificative", "slug: Pièce_Justificative"))
    assert error.field == "slug"


def test_source_must_be_a_web_address(tmp_path):
    error = load_error(tmp_path, VALID + "  source: Légifrance\n")
    assert error.field == "source"


def test_duplicate_slug_across_files_names_the_second_file(tmp_path):
    write(tmp_path, VALID, "a.yaml")
    error = load_error(tmp_path, VALID.replace("pièce justificative", "autre"), "b.yaml")
    assert error.file.endswith("b.yaml") and error.field == "slug" and "a.yaml" in str(error)


def test_same_form_in_two_entries_is_refused_ignoring_case_and_accents(tmp_path):
    other = VALID.replace("piece-justificative", "justificatif").replace(
        "term: pièce justificative", "term: justificatif\n  variants: [Piece Justificative]"
    )
    error = load_error(tmp_path, VALID + other)
    assert error.index == 2 and error.field == "variants" and "piece-justificative" in str(error)


def test_yaml_syntax_error_names_file_and_line(tmp_path):
    error = load_error(tmp_path, VALID + "- term: [unclosed\n")
    assert error.file.endswith("test.yaml") and "ligne 6" in str(error)


def test_file_must_be_a_list(tmp_path):
    error = load_error(tmp_path, "term: x\n")
    assert "liste" in str(error)


def test_missing_folder_is_an_error(tmp_path):
    with pytest.raises(VocabularyError):
        load_vocabulary(tmp_path / "absent")


def test_cache_is_per_path_and_refreshed_when_a_file_changes(tmp_path):
    path = write(tmp_path, VALID)
    first = load_vocabulary(tmp_path)
    assert load_vocabulary(tmp_path) is first
    path.write_text(VALID.replace("à expliquer", "à remplacer") + "\n", encoding="utf-8")
    assert load_vocabulary(tmp_path).get("piece-justificative").level == "à remplacer"


def test_real_vocabulary_validates_and_has_at_least_300_entries():
    vocabulary = load_vocabulary()
    assert len(vocabulary.entries) >= 300


# --- find_terms ----------------------------------------------------------------


def spans(vocabulary, text):
    return [(m.start, m.end, m.entry.slug, m.surface) for m in vocabulary.find_terms(text)]


def test_find_terms_positions_are_in_the_original_text(vocab):
    text = "Préparez vos pièces justificatives."
    assert spans(vocab, text) == [(13, 34, "piece-justificative", "pièces justificatives")]


def test_find_terms_ignores_case_accents_and_apostrophe_kind(vocab):
    text = "L’ALLOCATION D’AIDE AU RETOUR A L'EMPLOI et une echeance."
    assert [(slug, surface) for _, _, slug, surface in spans(vocab, text)] == [
        ("are", "ALLOCATION D’AIDE AU RETOUR A L'EMPLOI"),
        ("echeance", "echeance"),
    ]


def test_find_terms_prefers_the_longest_form(vocab):
    text = "Demandez un acte de naissance. Un acte suffit."
    assert spans(vocab, text) == [(12, 29, "acte-de-naissance", "acte de naissance"), (34, 38, "acte", "acte")]


def test_find_terms_falls_back_to_a_shorter_form_at_a_word_boundary(vocab):
    assert spans(vocab, "Un acte de naissances")[0][2:] == ("acte", "acte")


def test_find_terms_respects_word_boundaries(vocab):
    assert spans(vocab, "Des actes, un actionnaire, une réactance.") == [(4, 9, "acte", "actes")]


def test_find_terms_matches_across_a_line_break_and_no_break_space(vocab):
    assert [slug for _, _, slug, _ in spans(vocab, "un acte\nde\u00a0naissance")] == ["acte-de-naissance"]


def test_acronym_does_not_match_a_lower_case_word(vocab):
    assert spans(vocab, "Une âme, l'AME et l'Ame.") == [(11, 14, "ame", "AME"), (20, 23, "ame", "Ame")]


def test_find_terms_after_an_elided_article(vocab):
    assert spans(vocab, "l'ARE") == [(2, 5, "are", "ARE")]


# --- synonyms, glossary ------------------------------------------------------------


def test_synonyms_plain_word_to_official_terms(vocab):
    assert {"are", "allocation d'aide au retour à l'emploi", "allocation chômage"} <= vocab.synonyms("chômage")


def test_synonyms_official_term_to_plain_words(vocab):
    found = vocab.synonyms("Pièces justificatives")
    assert {"document", "papier", "papiers", "pièce justificative"} <= found
    assert "pièces justificatives" not in found


def test_synonyms_ignore_accents_and_apostrophes_of_the_query(vocab):
    assert "chômage" in vocab.synonyms("Allocation d’aide au retour a l’emploi")


def test_synonyms_of_an_unknown_word_are_empty(vocab):
    assert vocab.synonyms("boulangerie") == set()


def test_glossary_is_in_french_order_ignoring_accents_and_case(vocab):
    assert [entry.term for entry in vocab.glossary()] == [
        "acte", "acte de naissance", "AME", "ARE", "deadline", "Échéance", "nonobstant", "pièce justificative",
    ]


def test_get_and_lookup(vocab):
    assert vocab.get("ame").expansion == "aide médicale de l'État"
    assert vocab.get("absent") is None
    assert vocab.lookup("Aide médicale de l’Etat").slug == "ame"
