"""Difficulty reports, answered: statuses, the public answer, a private reply by email, and the filters
the back office lists them with. The CLI and the back office both go through these functions."""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from flask import render_template
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from guichet.db import utcnow
from guichet.feedback.models import Report
from guichet.mail import outbox

REPORT_STATUSES = ("nouveau", "en cours", "traité", "rejeté")
REPORT_CATEGORIES = {
    "comprendre": _l("Je ne comprends pas"),
    "marche-pas": _l("Ça ne marche pas"),
    "manque-info": _l("Il me manque une information"),
    "autre": _l("Autre"),
}
PUBLIC_ANSWER_MAX = 2000
PRIVATE_REPLY_MAX = 5000


@dataclass(frozen=True)
class ReportFilters:
    status: str | None = None
    category: str | None = None
    page: str | None = None
    since: date | None = None
    until: date | None = None


def filtered(filters: ReportFilters) -> Select:
    """Reports matching the filters, grouped by page (the page, then newest first)."""
    query = select(Report).order_by(Report.page, Report.created_at.desc())
    if filters.status:
        query = query.where(Report.status == filters.status)
    if filters.category:
        query = query.where(Report.category == filters.category)
    if filters.page:
        query = query.where(Report.page.contains(filters.page, autoescape=True))
    if filters.since:
        query = query.where(Report.created_at >= datetime.combine(filters.since, time.min, timezone.utc))
    if filters.until:
        query = query.where(Report.created_at < datetime.combine(filters.until + timedelta(days=1), time.min,
                                                                 timezone.utc))
    return query


def answer(report: Report, status: str, public_answer: str | None) -> None:
    """Set the status and the public answer (shown on /signalements/suivi-public once treated)."""
    if status not in REPORT_STATUSES:
        raise ValueError(f"unknown status {status!r}")
    report.status = status
    if public_answer is not None:
        report.public_answer = public_answer.strip() or None
        report.answered_at = utcnow() if report.public_answer else None


def reply_privately(session: Session, report: Report, text: str, organisation: str) -> None:
    """An email to the person who left their address; the report remembers that it was answered."""
    if not report.contact_email:
        raise ValueError("this report has no contact address")
    body = render_template("gestion/mail/report_reply.txt", report=report, text=text.strip(),
                           organisation=organisation)
    outbox.enqueue(session, report.contact_email, f"Votre signalement sur le site de {organisation}", body)
    if report.status == "nouveau":
        report.status = "en cours"
