"""Measures: Kandel–Moles score from counts we control, sentences and words."""

import pytest
import textstat

from lexicon.measures import Sentence, reading_ease, split_sentences
from lexicon.text import parse


def sentences_of(text: str) -> list[Sentence]:
    return [s for block in parse(text).blocks for s in split_sentences(block)]


def words_of(text: str) -> list[list[str]]:
    return [[w.text for w in s.words] for s in sentences_of(text)]


def test_reference_sentence_score_matches_the_formula_counted_by_hand(run):
    # Vous(1) pou-vez(2) de-man-der(3) une(1) carte(1) à(1) la(1) mai-rie(2): 8 words, 12 syllables.
    report = run("Vous pouvez demander une carte à la mairie.")
    assert (report.stats.words, report.stats.sentences, report.stats.syllables) == (8, 1, 12)
    assert report.stats.reading_ease == pytest.approx(207 - 1.015 * 8 / 1 - 73.6 * 12 / 8)  # 88.48


def test_two_sentence_reference_matches_the_formula_and_textstat(run):
    # ve-nez(2) à(1) la(1) mai-rie(2) | ap-por-tez(3) votre(1) li-vret(2) de(1) fa-mille(2)
    text = "Venez à la mairie. Apportez votre livret de famille."
    stats = run(text).stats
    assert (stats.words, stats.sentences, stats.syllables) == (9, 2, 15)
    expected = 207 - 1.015 * 9 / 2 - 73.6 * 15 / 9
    assert stats.reading_ease == pytest.approx(expected)
    textstat.set_lang("fr")
    assert textstat.flesch_reading_ease(text) == pytest.approx(expected, abs=0.01)


def test_reading_ease_formula():
    assert reading_ease(words=10, sentences=2, syllables=15) == pytest.approx(207 - 1.015 * 5 - 73.6 * 1.5)


def test_administrative_paragraph_scores_lower_than_its_plain_rewrite(run):
    administrative = (
        "Il appartient au demandeur de procéder à la constitution d'un dossier comportant l'ensemble "
        "des justificatifs nécessaires à l'instruction de sa demande, lesquels devront être transmis "
        "à l'administration compétente préalablement à la date d'expiration du délai réglementaire."
    )
    plain = (
        "Vous devez préparer votre dossier. Mettez-y tous les papiers demandés. "
        "Envoyez-le à la mairie. Faites-le avant la date limite."
    )
    hard, easy = run(administrative).stats, run(plain).stats
    assert hard.reading_ease < easy.reading_ease - 30
    assert hard.words_per_sentence > easy.words_per_sentence
    assert hard.long_words_share > easy.long_words_share


def test_abbreviations_and_lower_case_continuations_do_not_end_sentences():
    text = "M. Dupont vient le 3 janv. au matin. Apportez vos papiers, etc. et votre carte. Merci !"
    assert [len(words) for words in words_of(text)] == [8, 7, 1]


def test_headings_list_items_and_cells_are_sentences_without_final_punctuation():
    text = "## Qui est concerné\n\n- les parents\n- les enfants\n\n| Âge | Prix |\n|---|---|\n| 3 ans | gratuit |\n"
    assert words_of(text) == [
        ["Qui", "est", "concerné"], ["les", "parents"], ["les", "enfants"],
        ["Âge"], ["Prix"], ["3", "ans"], ["gratuit"],
    ]


def test_words_keep_elisions_hyphens_and_decimal_numbers_together():
    assert words_of("C'est-à-dire l'emploi d’un agent : 12,50 € par mois.") == [
        ["C'est-à-dire", "l'emploi", "d’un", "agent", "12,50", "par", "mois"]
    ]


def test_a_paragraph_sentence_may_span_lines():
    assert words_of("Vous pouvez\nvenir demain.") == [["Vous", "pouvez", "venir", "demain"]]


def test_stats_count_paragraphs_long_sentences_and_long_words(run):
    long_sentence = " ".join(["mot"] * 26) + "."
    text = f"Un. Deux. Trois.\n\nQuatre.\n\n{long_sentence}\n\n- Une administration"
    stats = run(text).stats
    assert (stats.paragraphs, stats.max_paragraph_sentences, stats.long_sentences) == (3, 3, 1)
    assert stats.long_words_share == pytest.approx(1 / stats.words)  # only "administration"


def test_empty_text_has_no_score(run):
    report = run("```\ncode only\n```\n")
    assert report.stats.reading_ease is None and report.stats.words == 0 and report.findings == []
