"""Sentences, words, syllables and the Kandel–Moles reading ease.

Counting is done here, on the prose blocks, so that every figure in a report
(score, words per sentence, long sentences) comes from the same segmentation.
Syllables come from textstat in French (Pyphen hyphenation), the tool behind
most public French readability measurements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from textstat.textstat import textstatistics

from .text import Block

_TEXTSTAT = textstatistics()  # our own instance: textstat's module-level language is global state
_TEXTSTAT.set_lang("fr")

# Kandel & Moles (1958), the French adaptation of Flesch's reading ease.
KM_BASE, KM_SENTENCE, KM_SYLLABLE = 207.0, 1.015, 73.6

LONG_WORD_SYLLABLES = 3  # a "long word" has at least this many syllables

WORD = re.compile(r"\d+(?:[.,]\d+)+|[^\W_]+(?:['’\-][^\W_]+)*")
_SENTENCE_END = re.compile(r"[.!?…]+[\"»”’)\]]*(?=\s|$)")
_TOKEN_BEFORE_DOT = re.compile(r"([^\W\d_]+)\.$")
_ABBREVIATIONS = frozenset(
    "m mm mme mlle dr pr me art al cf ex p pp n no vol av bd st ste tél tel env hab "
    "min max réf ref janv févr fév avr juil sept oct nov déc dép".split()
)


@dataclass(frozen=True)
class Word:
    start: int  # offset in the document
    text: str


@dataclass(frozen=True)
class Sentence:
    block: Block
    start: int  # offset of the first character, in the document
    end: int
    words: tuple[Word, ...]


@dataclass(frozen=True)
class Stats:
    reading_ease: float | None  # Kandel–Moles; None when there is no word
    words: int
    sentences: int
    words_per_sentence: float
    long_sentences: int
    long_words_share: float  # share of words of LONG_WORD_SYLLABLES syllables or more, 0 to 1
    paragraphs: int
    max_paragraph_sentences: int
    syllables: int


_LONGEST_REAL_WORD = 40  # "anticonstitutionnellement" has 25 letters
_VOWEL_GROUP = re.compile(r"[aeiouyàâäéèêëîïôöùûüÿœæ]+", re.I)


@lru_cache(maxsize=65536)
def count_syllables(word: str) -> int:
    """Syllables of one word by textstat (French), at least 1 (numbers, acronyms).

    Beyond any real word's length, vowel groups are counted instead: Pyphen
    would take seconds on a pasted 100 000-character string.
    """
    if len(word) > _LONGEST_REAL_WORD:
        return max(1, len(_VOWEL_GROUP.findall(word)))
    return max(1, _TEXTSTAT.syllable_count(word))


def reading_ease(words: int, sentences: int, syllables: int) -> float:
    """Kandel–Moles: 207 − 1.015 × words/sentence − 73.6 × syllables/word."""
    return KM_BASE - KM_SENTENCE * words / sentences - KM_SYLLABLE * syllables / words


def split_sentences(block: Block) -> list[Sentence]:
    """Sentences of a block; a block always ends a sentence (headings, list items)."""
    text = block.text
    cuts = [0]
    for end in _SENTENCE_END.finditer(text):
        if not _is_abbreviation(text, end) and not _continues_lowercase(text, end.end()):
            cuts.append(end.end())
    cuts.append(len(text))
    sentences = []
    for start, stop in zip(cuts, cuts[1:]):
        words = tuple(Word(block.start + m.start(), m.group()) for m in WORD.finditer(text, start, stop))
        if words:
            piece = text[start:stop]
            first = start + len(piece) - len(piece.lstrip())
            last = start + len(piece.rstrip())
            sentences.append(Sentence(block, block.start + first, block.start + last, words))
    return sentences


def _is_abbreviation(text: str, end: re.Match[str]) -> bool:
    """A single dot after "M", "art", "janv"… or an initial does not end a sentence."""
    if end.group() != ".":
        return False
    token = _TOKEN_BEFORE_DOT.search(text[max(0, end.start() - 12) : end.end()])
    if token is None:
        return False
    word = token.group(1)
    return word.lower() in _ABBREVIATIONS or (len(word) == 1 and word.isupper())


def _continues_lowercase(text: str, position: int) -> bool:
    """"etc. et…": a dot followed by a lower-case word does not end the sentence."""
    rest = text[position : position + 40].lstrip()
    return bool(rest) and rest[0].islower()


def sentences_per_paragraph(sentences: list[Sentence]) -> dict[int, int]:
    """Paragraph start offset → its number of sentences (the summary is a paragraph)."""
    counts: dict[int, int] = {}
    for sentence in sentences:
        if sentence.block.kind in ("paragraph", "summary"):
            counts[sentence.block.start] = counts.get(sentence.block.start, 0) + 1
    return counts


def compute_stats(sentences: list[Sentence], long_sentence_words: int) -> Stats:
    words = [word for sentence in sentences for word in sentence.words]
    syllables = [count_syllables(word.text) for word in words]
    per_paragraph = sentences_per_paragraph(sentences)
    return Stats(
        reading_ease=reading_ease(len(words), len(sentences), sum(syllables)) if words else None,
        words=len(words),
        sentences=len(sentences),
        words_per_sentence=len(words) / len(sentences) if sentences else 0.0,
        long_sentences=sum(1 for s in sentences if len(s.words) > long_sentence_words),
        long_words_share=sum(1 for n in syllables if n >= LONG_WORD_SYLLABLES) / len(words) if words else 0.0,
        paragraphs=len(per_paragraph),
        max_paragraph_sentences=max(per_paragraph.values(), default=0),
        syllables=sum(syllables),
    )
