"""Workflow statuses: the old status names become the state machine's; open requests get their legal date

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 10:00:00
"""
import calendar
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa
import yaml
from alembic import op

FORMS_DIR = Path(__file__).resolve().parents[4] / "site" / "forms"
# The statuses stored before the workflow module, and their names in its state machine.
RENAMED = {"en-instruction": "en_instruction", "pieces-manquantes": "incomplete", "complete": "en_instruction",
           "classee": "classee_sans_suite"}
OPEN = ("recue", "en_instruction")

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

requests = sa.table("requests", sa.column("id", sa.Integer), sa.column("demarche", sa.String),
                    sa.column("status", sa.String), sa.column("received_at", sa.DateTime(timezone=True)),
                    sa.column("decision_due", sa.Date))
statuses = sa.table("request_statuses", sa.column("status", sa.String))


def upgrade() -> None:
    for old, new in RENAMED.items():
        op.execute(requests.update().where(requests.c.status == old).values(status=new))
        op.execute(statuses.update().where(statuses.c.status == old).values(status=new))
    _backfill_decision_due()


def _backfill_decision_due() -> None:
    """The receipt's date for open requests (without a missing-documents request, as before this revision).

    Requests waiting for documents stay without a date: the agent records the request for documents again.
    """
    delays = _delays()
    connection = op.get_bind()
    rows = connection.execute(sa.select(requests.c.id, requests.c.demarche, requests.c.received_at)
                              .where(requests.c.status.in_(OPEN), requests.c.decision_due.is_(None))).all()
    for row_id, demarche, received_at in rows:
        if demarche in delays and received_at is not None:
            due = _due(_paris_day(received_at), *delays[demarche])
            connection.execute(requests.update().where(requests.c.id == row_id).values(decision_due=due))


def _delays() -> dict[str, tuple[int, int]]:
    """(days, months) of each démarche with an implicit decision."""
    found = {}
    for path in sorted(FORMS_DIR.glob("*.yaml")) if FORMS_DIR.is_dir() else []:
        definition = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        legal = definition.get("legal") or {} if isinstance(definition, dict) else {}
        duration = legal.get("duration") or {}
        if legal.get("implicit") in ("acceptance", "rejection") and isinstance(duration, dict):
            found[definition.get("slug", path.stem)] = (duration.get("days") or 0, duration.get("months") or 0)
    return found


def _paris_day(moment) -> date:
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    aware = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return aware.astimezone(ZoneInfo("Europe/Paris")).date()


def _due(received: date, days: int, months: int) -> date:
    if days:
        return received + timedelta(days=days)
    index = received.month - 1 + months
    year, month = received.year + index // 12, index % 12 + 1
    return date(year, month, min(received.day, calendar.monthrange(year, month)[1]))


def downgrade() -> None:
    reverse = {"en_instruction": "en-instruction", "incomplete": "pieces-manquantes", "classee_sans_suite": "classee",
               "acceptation_implicite": "acceptee", "rejet_implicite": "refusee"}
    for new, old in reverse.items():
        op.execute(requests.update().where(requests.c.status == new).values(status=old))
        op.execute(statuses.update().where(statuses.c.status == new).values(status=old))
