"""Searches that found nothing, counted per folded query and day: no time, no address, no session is kept,
so a count can never be tied back to a person."""
from datetime import date

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from guichet.content.textfold import fold
from guichet.indicators.models import SearchMissDaily

QUERY_MAX = 100


def normalised(query: str) -> str:
    """"  Carte   GRISE " and "carte grise" are one query: folded, single spaces, at most 100 characters."""
    return " ".join(fold(query).split())[:QUERY_MAX].strip()


def record_miss(db: Session, query: str, day: date) -> None:
    """Count one search with no result; the caller commits. Two servers counting at once both count."""
    key = normalised(query)
    if not key:
        return
    counted = update(SearchMissDaily).where(SearchMissDaily.day == day, SearchMissDaily.query == key).values(
        count=SearchMissDaily.count + 1)
    if db.execute(counted).rowcount:
        return
    try:
        with db.begin_nested():
            db.add(SearchMissDaily(day=day, query=key, count=1))
    except IntegrityError:  # another request created the row in the meantime
        db.execute(counted)
