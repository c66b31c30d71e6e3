"""The back-office queue: which requests a staff member sees, in which tab, filtered, in which order.

Everything is one SQL query over `requests` limited to the member's services, so the list, the tab
counts and the exports always show exactly the same requests. The meaning of statuses (final, waiting
for the person) comes from `guichet.requests.submission`, the one place that defines them.
"""
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, func, select, true
from sqlalchemy.orm import Session, aliased

from guichet.content.textfold import fold
from guichet.requests.models import DemarcheRequest
from guichet.requests.submission import FINAL_STATUSES, WAITING_STATUSES
from guichet.staff.models import StaffMember

PAGE_SIZE = 50
PARIS = ZoneInfo("Europe/Paris")
TABS = ("a-traiter", "mes-demandes", "en-attente", "terminees", "toutes")
DEFAULT_TAB = "a-traiter"
UNOWNED, MINE = "personne", "moi"
Owner = aliased(StaffMember)


@dataclass(frozen=True)
class QueueFilters:
    """The filters of the queue, already validated (see guichet.gestion.forms.QueueFilterForm)."""

    tab: str = DEFAULT_TAB
    status: str | None = None
    demarche: str | None = None
    service: str | None = None
    owner: str | None = None  # UNOWNED, MINE or a staff member's id
    channel: str | None = None
    due_within: int | None = None
    received_from: date | None = None
    received_to: date | None = None
    text: str | None = None


def tab_condition(tab: str, member_id: int):
    """À traiter: nobody owns it yet; mes demandes: mine, still open; terminées: a final status."""
    column = DemarcheRequest
    return {
        "a-traiter": and_(column.owner_id.is_(None), column.status.not_in(FINAL_STATUSES)),
        "mes-demandes": and_(column.owner_id == member_id, column.status.not_in(FINAL_STATUSES)),
        "en-attente": column.status.in_(WAITING_STATUSES),
        "terminees": column.status.in_(FINAL_STATUSES),
        "toutes": true(),
    }[tab]


def local_day_start(day: date) -> datetime:
    """Midnight in French time: "received on 3 March" means the town hall's 3 March, not UTC's."""
    return datetime.combine(day, time.min, tzinfo=PARIS)


def filter_conditions(filters: QueueFilters, member_id: int, services: set[str], today: date) -> list:
    """The WHERE clause of the queue, except the tab: visibility first, then each filter that is set."""
    column = DemarcheRequest
    conditions = [column.service.in_(sorted(services))]
    if filters.status:
        conditions.append(column.status == filters.status)
    if filters.demarche:
        conditions.append(column.demarche == filters.demarche)
    if filters.service:
        conditions.append(column.service == filters.service)
    if filters.owner == UNOWNED:
        conditions.append(column.owner_id.is_(None))
    elif filters.owner == MINE:
        conditions.append(column.owner_id == member_id)
    elif filters.owner:
        conditions.append(column.owner_id == int(filters.owner))
    if filters.channel:
        conditions.append(column.channel == filters.channel)
    if filters.due_within is not None:
        # Overdue requests are the most urgent: "within N days" includes every deadline before today + N.
        conditions.append(column.decision_due <= today + timedelta(days=filters.due_within))
    if filters.received_from:
        conditions.append(column.received_at >= local_day_start(filters.received_from))
    if filters.received_to:
        conditions.append(column.received_at < local_day_start(filters.received_to + timedelta(days=1)))
    if filters.text and filters.text.strip():
        conditions.append(_text_condition(filters.text.strip()))
    return conditions


def _text_condition(text: str):
    """A reference, a name or an email containing the typed text, whatever its case and accents."""
    column = DemarcheRequest
    return (column.reference.contains(text.upper(), autoescape=True)
            | column.search_name.contains(fold(" ".join(text.split())), autoescape=True)
            | column.search_email.contains(text.lower(), autoescape=True))


# Nearest legal deadline first, requests without one after; then the oldest received.
ORDER = (DemarcheRequest.decision_due.is_(None), DemarcheRequest.decision_due, DemarcheRequest.received_at,
         DemarcheRequest.id)


def listing(filters: QueueFilters, member_id: int, services: set[str], today: date) -> Select:
    """The rows of the list and of the exports: only the columns they show (never the answers)."""
    column = DemarcheRequest
    return (select(column.id, column.reference, column.demarche, column.service, column.identity, column.email,
                   column.received_at, column.channel, column.status, column.owner_id, column.decision_due,
                   Owner.given_name.label("owner_given_name"), Owner.family_name.label("owner_family_name"))
            .outerjoin(Owner, Owner.id == column.owner_id)
            .where(*filter_conditions(filters, member_id, services, today), tab_condition(filters.tab, member_id))
            .order_by(*ORDER))


def page_rows(db: Session, filters: QueueFilters, member_id: int, services: set[str], today: date,
              page: int) -> list:
    query = listing(filters, member_id, services, today).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    return list(db.execute(query))


def iter_rows(db: Session, filters: QueueFilters, member_id: int, services: set[str], today: date,
              batch: int = 1000) -> Iterator:
    """Every row of the filtered list, fetched in batches so an export of 100 000 rows stays small in memory."""
    query = listing(filters, member_id, services, today).execution_options(yield_per=batch)
    yield from db.execute(query)


def tab_counts(db: Session, filters: QueueFilters, member_id: int, services: set[str], today: date) -> dict:
    """How many requests each tab holds under the current filters, in one pass over the index."""
    counts = [func.count().filter(tab_condition(tab, member_id)) for tab in TABS if tab != "toutes"]
    query = (select(func.count(), *counts).select_from(DemarcheRequest)
             .where(*filter_conditions(filters, member_id, services, today)))
    total, *others = db.execute(query).one()
    return {**dict(zip([tab for tab in TABS if tab != "toutes"], (int(n or 0) for n in others))),
            "toutes": int(total or 0)}


def page_count(total: int) -> int:
    return max(1, -(-total // PAGE_SIZE))


def days_left(due: date | None, today: date) -> int | None:
    return None if due is None else (due - today).days
