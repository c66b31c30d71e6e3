"""Full-text search over fiches, life events and démarches, with lexicon synonyms.

Both engines search accent-folded text: FTS5 on SQLite, a weighted tsvector on PostgreSQL.
A query becomes: every typed word (or one of its synonyms) must match, OR a synonym of the
whole phrase matches — so "chômage" finds the fiche titled "allocation d'aide au retour à l'emploi".
"""
import re
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from guichet.content.textfold import fold

STOP_WORDS = {"a", "au", "aux", "de", "des", "du", "en", "et", "la", "le", "les", "l", "d", "un", "une", "pour",
              "par", "sur", "mon", "ma", "mes", "je", "j", "me", "m", "the", "of", "to", "and", "my", "i"}
WORD_RE = re.compile(r"[a-z0-9]+")
MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class SearchResult:
    kind: str
    slug: str
    title: str
    summary: str


def query_groups(query: str, synonyms) -> tuple[list[set[str]], set[str]]:
    """Split a query into per-word alternative groups and whole-phrase alternatives (all folded)."""
    folded = fold(query)[:MAX_QUERY_LENGTH]
    words = [word for word in WORD_RE.findall(folded) if word not in STOP_WORDS]
    groups = [{word} | {fold(s) for s in synonyms(word)} for word in words]
    phrase = {fold(s) for s in synonyms(query)} if len(words) > 1 else set()
    return groups, phrase


def _fts5_term(alternative: str, prefix: bool) -> str:
    words = WORD_RE.findall(alternative)
    if not words:
        return ""
    quoted = " ".join(words)
    return f'"{quoted}"' + ("*" if prefix and len(words) == 1 else "")


def fts5_query(groups: list[set[str]], phrase: set[str]) -> str:
    """Build an FTS5 MATCH expression; only plain words ever reach it, so no user syntax is interpreted."""
    clauses = []
    and_parts = []
    for group in groups:
        terms = sorted(filter(None, (_fts5_term(alt, prefix=len(alt) >= 4) for alt in group)))
        if terms:
            and_parts.append("(" + " OR ".join(terms) + ")")
    if and_parts:
        clauses.append("(" + " AND ".join(and_parts) + ")")
    clauses.extend(filter(None, (_fts5_term(alt, prefix=False) for alt in sorted(phrase))))
    return " OR ".join(clauses)


def pg_query(groups: list[set[str]], phrase: set[str]) -> str:
    """Build a to_tsquery('french', ...) expression out of plain words only."""
    def alternative(alt: str) -> str:
        words = WORD_RE.findall(alt)
        return "(" + " <-> ".join(words) + ")" if words else ""

    and_parts = []
    for group in groups:
        alts = sorted(filter(None, (alternative(alt) for alt in group)))
        if alts:
            and_parts.append("(" + " | ".join(alts) + ")")
    clauses = ["(" + " & ".join(and_parts) + ")"] if and_parts else []
    clauses.extend(filter(None, (alternative(alt) for alt in sorted(phrase))))
    return " | ".join(clauses)


def search(db: Session, query: str, lang: str, synonyms, limit: int = 100) -> list[SearchResult]:
    groups, phrase = query_groups(query, synonyms)
    if db.get_bind().dialect.name == "sqlite":
        expression = fts5_query(groups, phrase)
        if not expression:
            return []
        rows = db.execute(text(
            "SELECT e.kind, e.slug, e.title, e.summary FROM search_fts "
            "JOIN search_entries e ON e.id = search_fts.rowid "
            "WHERE search_fts MATCH :q AND e.lang = :lang "
            "ORDER BY bm25(search_fts, 10.0, 1.0) LIMIT :limit"), {"q": expression, "lang": lang, "limit": limit})
    else:
        expression = pg_query(groups, phrase)
        if not expression:
            return []
        rows = db.execute(text(
            "SELECT kind, slug, title, summary FROM search_entries, to_tsquery('french', :q) query "
            "WHERE tsv @@ query AND lang = :lang ORDER BY ts_rank(tsv, query) DESC, title LIMIT :limit"),
            {"q": expression, "lang": lang, "limit": limit})
    return [SearchResult(*row) for row in rows]
