"""Plain-language vocabulary: strict loader, term matcher and search synonyms.

The data lives in ``lexicon/data/*.yaml``; each file is a YAML list of
entries (schema in ``lexicon/README.md``, the ``EntryFile`` model below, published as
``lexicon/data/schema.json``). Loading refuses the whole
vocabulary at the first problem, naming the file, the entry and the field, so
a typo never ships silently.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import Field, TypeAdapter, ValidationError

from .datafiles import Slug, Strict, Text, location, plain_pattern, sentence

from .normalize import clean_phrase, fold, fold_phrase, sort_key
from .text import yaml_problem

DEFAULT_PATH = Path(__file__).parent / "data"

CATEGORIES = (
    "jargon administratif",
    "sigle",
    "terme juridique",
    "anglicisme",
    "mot long ou rare",
)
LEVELS = ("à remplacer", "à expliquer", "acceptable si expliqué")

_ACRONYM_FORM = re.compile(r"[A-ZÀ-Ý0-9&]*[A-ZÀ-Ý][A-ZÀ-Ý0-9&]*")  # fullmatch: "$" accepts a final newline


class VocabularyError(ValueError):
    """The vocabulary data is invalid; the message names file, entry and field."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        index: int | None = None,
        slug: str | None = None,
        field: str | None = None,
    ) -> None:
        self.file, self.index, self.slug, self.field = file, index, slug, field
        where = [part for part in (file, _entry_label(index, slug)) if part]
        if field:
            where.append(f"champ « {field} »")
        super().__init__(f"{', '.join(where)} : {message}" if where else message)


def _entry_label(index: int | None, slug: str | None) -> str | None:
    if index is None:
        return None
    return f"entrée n° {index}" + (f" (slug « {slug} »)" if slug else "")


@dataclass(frozen=True, kw_only=True)
class Entry:
    """One vocabulary entry; list fields are tuples so entries stay hashable."""

    term: str
    slug: str
    variants: tuple[str, ...] = ()
    expansion: str | None = None
    category: str
    level: str
    replacements: tuple[str, ...] = ()
    definition: str
    example: str | None = None
    source: str | None = None
    synonyms: tuple[str, ...] = ()

    @property
    def forms(self) -> tuple[str, ...]:
        """Every written form that `find_terms` recognises for this entry."""
        extra = (self.expansion,) if self.expansion else ()
        return (self.term, *self.variants, *extra)

    @property
    def search_words(self) -> tuple[str, ...]:
        """Every word or phrase that search treats as equivalent to this entry."""
        return (*self.forms, *self.replacements, *self.synonyms)


@dataclass(frozen=True)
class Match:
    """An occurrence of a vocabulary form: offsets are in the caller's text."""

    start: int
    end: int
    entry: Entry
    surface: str


def is_acronym_form(form: str) -> bool:
    """An all-capitals form such as "CAF" or "AME", matched with care (see find_terms)."""
    return " " not in form and bool(_ACRONYM_FORM.fullmatch(form))


class Vocabulary:
    """Validated entries with fast lookups; build it with `load_vocabulary`."""

    def __init__(self, entries: list[Entry]) -> None:
        self.entries = list(entries)
        self._by_slug = {entry.slug: entry for entry in self.entries}
        self._by_form: dict[str, Entry] = {}
        self._acronym_forms: set[str] = set()
        for entry in self.entries:
            for form in entry.forms:
                key = fold_phrase(form)
                self._by_form[key] = entry
                if is_acronym_form(form):
                    self._acronym_forms.add(key)
        self._synonym_index: dict[str, list[Entry]] = {}
        for entry in self.entries:
            for word in entry.search_words:
                self._synonym_index.setdefault(fold_phrase(word), []).append(entry)

    @cached_property
    def _pattern(self) -> re.Pattern[str] | None:
        """Compiled on first use: the glossary and search pages never need it."""
        return _compile_forms(self._by_form)

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, slug: str) -> Entry | None:
        return self._by_slug.get(slug)

    def lookup(self, form: str) -> Entry | None:
        """The entry having `form` as term, variant or expansion (case/accent-insensitive)."""
        return self._by_form.get(fold_phrase(form))

    def glossary(self) -> list[Entry]:
        """Entries in French alphabetical order, accents and case ignored."""
        return sorted(self.entries, key=lambda entry: sort_key(entry.term))

    def find_terms(self, text: str) -> list[Match]:
        """Non-overlapping occurrences of vocabulary forms, leftmost then longest.

        Comparison ignores case, accents and the kind of apostrophe. An acronym
        form ("AME") does not match an all-lower-case word ("âme").
        """
        if self._pattern is None:
            return []
        matches = []
        for found in self._pattern.finditer(fold(text)):
            key = re.sub(r"\s+", " ", found.group())
            surface = text[found.start() : found.end()]
            if key in self._acronym_forms and surface.islower():
                continue
            matches.append(Match(found.start(), found.end(), self._by_form[key], surface))
        return matches

    def synonyms(self, word_or_phrase: str) -> set[str]:
        """Search expansion both ways: plain word ↔ official terms, lower-case.

        The query itself is not part of the result.
        """
        key = fold_phrase(word_or_phrase)
        related = {
            clean_phrase(word)
            for entry in self._synonym_index.get(key, ())
            for word in entry.search_words
        }
        return {word for word in related if fold_phrase(word) != key}


# --- matcher -----------------------------------------------------------------

_END = ""


def _compile_forms(by_form: dict[str, Entry]) -> re.Pattern[str] | None:
    """One regex shaped like a trie, so each position tries a single branch.

    Optional groups are greedy, so the longest form wins at a given start and
    the engine backtracks to a shorter one when the word boundary fails.
    """
    if not by_form:
        return None
    trie: dict[str, Any] = {}
    for form in by_form:
        node = trie
        for char in form:
            node = node.setdefault(char, {})
        node[_END] = {}
    return re.compile(r"(?<!\w)" + _render(trie) + r"(?!\w)")


def _render(node: dict[str, Any]) -> str:
    branches = []
    for char, child in sorted(node.items()):
        if char == _END:
            continue
        token = r"\s+" if char == " " else re.escape(char)
        branches.append(token + _render(child))
    if not branches:
        return ""
    if len(branches) == 1 and _END not in node:
        return branches[0]
    group = "(?:" + "|".join(branches) + ")"
    return group + "?" if _END in node else group


# --- loader ------------------------------------------------------------------

# libyaml's loader is ~20 times faster on the 200 KB of data; same safe semantics.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_cache: dict[Path, tuple[tuple, Vocabulary]] = {}
_cache_lock = threading.Lock()


def load_vocabulary(path: str | Path | None = None) -> Vocabulary:
    """Load and validate a vocabulary folder (every *.yaml) or a single file.

    Cached per path; the cache is refreshed when a file changes, so an editor
    fixing the data sees the result without restarting the site.
    """
    root = Path(path) if path is not None else DEFAULT_PATH
    files = _vocabulary_files(root)
    signature = tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files)
    with _cache_lock:
        cached = _cache.get(root.resolve())
        if cached and cached[0] == signature:
            return cached[1]
    vocabulary = Vocabulary(_read_entries(files))
    with _cache_lock:
        _cache[root.resolve()] = (signature, vocabulary)
    return vocabulary


def _vocabulary_files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    if root.is_dir():
        return sorted(p for p in root.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    raise VocabularyError("dossier ou fichier introuvable", file=str(root))


def _read_entries(files: list[Path]) -> list[Entry]:
    entries: list[Entry] = []
    slugs: dict[str, str] = {}
    forms: dict[str, str] = {}
    for file in files:
        label = _display_name(file)
        for index, raw in enumerate(_read_list(file, label), start=1):
            entry = _validate_entry(raw, label, index)
            _check_unique(entry, label, index, slugs, forms)
            entries.append(entry)
    return entries


def _display_name(file: Path) -> str:
    """The path as an editor would type it: relative to the working folder when possible."""
    try:
        return str(file.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(file)


def _read_list(file: Path, label: str) -> list[Any]:
    try:
        data = yaml.load(file.read_text(encoding="utf-8"), Loader=_FAST_LOADER)
    except UnicodeDecodeError:
        raise VocabularyError("le fichier n'est pas en UTF-8", file=label) from None
    except yaml.YAMLError as error:
        line, problem, started = yaml_problem(error)
        where = f"ligne {line}" + (f", partie commencée ligne {started}" if started else "")
        raise VocabularyError(f"YAML invalide ({where}) : {problem}", file=label) from None
    if data is None:
        return []
    if not isinstance(data, list):
        raise VocabularyError("le fichier doit contenir une liste d'entrées (« - term: … »)", file=label)
    return data


class EntryFile(Strict):
    """Une entrée du vocabulaire (lexicon/data/*.yaml). Guide : lexicon/README.md."""

    term: Text = Field(description="Le mot ou l'expression, tel qu'on l'écrit.")
    slug: Slug = Field(description="L'identifiant de l'entrée (adresse /glossaire/<slug>).")
    variants: list[Text] | None = Field(None, description="Les autres formes écrites (pluriel, sans accent…).")
    expansion: Text | None = Field(None, description="La forme longue d'un sigle.")
    category: Literal[CATEGORIES] = Field(description="Le genre de mot.")
    level: Literal[LEVELS] = Field(description="Ce qu'il faut faire quand on le trouve dans un texte.")
    replacements: list[Text] | None = Field(None, description="Des mots simples à écrire à la place.")
    definition: Text = Field(description="L'explication en langage clair, pour le glossaire.")
    example: Text | None = Field(None, description="Une phrase d'exemple.")
    source: Annotated[str, Field(pattern=plain_pattern(r"^https?://", "doit être une adresse web (https://…)"))] | None = (
        Field(None, description="La page officielle qui définit le mot."))
    synonyms: list[Text] | None = Field(None, description="Des mots de recherche équivalents.")


VOCABULARY_FILE = TypeAdapter(list[EntryFile])


def _validate_entry(raw: Any, file: str, index: int) -> Entry:
    slug = raw.get("slug") if isinstance(raw, dict) and isinstance(raw.get("slug"), str) else None
    try:
        entry = EntryFile.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        loc = location(first)
        raise VocabularyError(sentence(first), file=file, index=index, slug=slug,
                              field=str(loc[0]) if loc else None) from None
    values = entry.model_dump()
    return Entry(**values | {name: tuple(values[name] or ()) for name in ("variants", "replacements", "synonyms")})


def _check_unique(entry: Entry, file: str, index: int, slugs: dict[str, str], forms: dict[str, str]) -> None:
    """Slugs and written forms must each point to exactly one entry."""
    if entry.slug in slugs:
        raise VocabularyError(
            f"slug « {entry.slug} » déjà utilisé ({slugs[entry.slug]})",
            file=file, index=index, slug=entry.slug, field="slug",
        )
    slugs[entry.slug] = file
    own: set[str] = set()
    for field, values in (("term", (entry.term,)), ("variants", entry.variants), ("expansion", (entry.expansion,))):
        for value in values:
            if not value:
                continue
            key = fold_phrase(value)
            if key in forms and key not in own:
                raise VocabularyError(
                    f"« {value} » est déjà une forme de l'entrée « {forms[key]} »",
                    file=file, index=index, slug=entry.slug, field=field,
                )
            forms[key] = entry.slug
            own.add(key)
