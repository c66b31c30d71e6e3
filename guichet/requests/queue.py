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
from guichet.requests.workflow import FINAL_STATUSES, WAITING_STATUSES
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


# Nearest legal deadline first, requests without one after; then the oldest received. Done as two queries
# (with a deadline, then without) so each reads the index `ix_requests_queue_order` in order and stops after a
# page, on SQLite and PostgreSQL alike, instead of sorting every request of the services.
ORDER = (DemarcheRequest.decision_due, DemarcheRequest.received_at, DemarcheRequest.id)


def is_search(filters: QueueFilters) -> bool:
    """A search on text or channel: no index leads to the matches in order, every entry must be compared."""
    return bool(filters.text or filters.channel)


def matching_ids(filters: QueueFilters, member_id: int, services: set[str], today: date) -> Select:
    """The ids a search finds, compared in `ix_requests_search` (it holds every column the filters read: a
    narrow index instead of the wide rows); only the matches are then read and sorted."""
    return select(DemarcheRequest.id).where(*filter_conditions(filters, member_id, services, today),
                                            tab_condition(filters.tab, member_id))


def listing(filters: QueueFilters, member_id: int, services: set[str], today: date, with_deadline: bool) -> Select:
    """One half of the list (with or without a legal deadline), only the columns shown (never the answers)."""
    column = DemarcheRequest
    deadline = column.decision_due.is_not(None) if with_deadline else column.decision_due.is_(None)
    conditions = ([column.id.in_(matching_ids(filters, member_id, services, today))] if is_search(filters) else
                  [*filter_conditions(filters, member_id, services, today), tab_condition(filters.tab, member_id)])
    return (select(column.id, column.reference, column.demarche, column.service, column.identity, column.email,
                   column.received_at, column.channel, column.status, column.owner_id, column.decision_due,
                   Owner.given_name.label("owner_given_name"), Owner.family_name.label("owner_family_name"))
            .outerjoin(Owner, Owner.id == column.owner_id)
            .where(*conditions, deadline)
            .order_by(*ORDER))


def page_rows(db: Session, filters: QueueFilters, member_id: int, services: set[str], today: date,
              page: int, with_deadline_count: int) -> list:
    """The rows of one page: those with a deadline first, then, when they run out, those without."""
    offset = (page - 1) * PAGE_SIZE
    rows = []
    if offset < with_deadline_count:
        rows = list(db.execute(listing(filters, member_id, services, today, True).limit(PAGE_SIZE).offset(offset)))
    if len(rows) < PAGE_SIZE:
        rest = listing(filters, member_id, services, today, False)
        rows += db.execute(rest.limit(PAGE_SIZE - len(rows)).offset(max(0, offset - with_deadline_count)))
    return rows


def iter_rows(db: Session, filters: QueueFilters, member_id: int, services: set[str], today: date,
              batch: int = 1000) -> Iterator:
    """Every row of the filtered list, fetched in batches so an export of 100 000 rows stays small in memory."""
    for with_deadline in (True, False):
        query = listing(filters, member_id, services, today, with_deadline).execution_options(yield_per=batch)
        yield from db.execute(query)


def tab_counts(db: Session, filters: QueueFilters, member_id: int, services: set[str], today: date) -> dict:
    """How many requests each tab holds under the current filters, plus how many of the current tab have a
    deadline (`"avec-echeance"`, for paging). One grouped pass over `ix_requests_search` (service, status, owner
    first; with the searched columns, so a search too reads the index only, never the table)."""
    column = DemarcheRequest
    has_deadline = func.count(column.decision_due)
    query = (select(column.status, column.owner_id, func.count(), has_deadline)
             .where(*filter_conditions(filters, member_id, services, today))
             .group_by(column.service, column.status, column.owner_id))
    counts = dict.fromkeys((*TABS, "avec-echeance"), 0)
    for status, owner_id, number, with_deadline in db.execute(query):
        for tab in TABS:
            if in_tab(tab, status, owner_id, member_id):
                counts[tab] += number
                if tab == filters.tab:
                    counts["avec-echeance"] += with_deadline
    return counts


def in_tab(tab: str, status: str, owner_id: int | None, member_id: int) -> bool:
    """The same rule as `tab_condition`, for one group of requests."""
    final = status in FINAL_STATUSES
    return {
        "a-traiter": owner_id is None and not final,
        "mes-demandes": owner_id == member_id and not final,
        "en-attente": status in WAITING_STATUSES,
        "terminees": final,
        "toutes": True,
    }[tab]


def page_count(total: int) -> int:
    return max(1, -(-total // PAGE_SIZE))


def days_left(due: date | None, today: date) -> int | None:
    return None if due is None else (due - today).days
