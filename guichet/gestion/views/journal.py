"""The audit trail, for the DPO and administrators: filter, page through, export, check the chain.

Reading the trail is itself watched: exports and chain checks are written in it.
"""
import csv
import io
import json
from datetime import datetime, time, timedelta, timezone

from flask import Blueprint, Response, render_template, request, url_for
from sqlalchemy import func, select

from guichet import db
from guichet.audit import log as audit
from guichet.audit.models import AuditEntry
from guichet.gestion.access import current_staff, requires
from guichet.gestion.forms import JournalFiltersForm

blueprint = Blueprint("journal", __name__, url_prefix="/journal")
ROLES = ("dpo", "admin")
PAGE_SIZE = 50
EXPORT_LIMIT = 100_000


def _form() -> JournalFiltersForm:
    form = JournalFiltersForm(request.args)
    actions = db.session().scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action))
    form.action.choices = [("", form.action.choices[0][1])] + [(action, action) for action in actions]
    return form


def _day_start(day) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.utc)


def filtered(form: JournalFiltersForm):
    """The entries the (valid) form asks for, newest first."""
    query = select(AuditEntry)
    if form.action.data:
        query = query.where(AuditEntry.action == form.action.data)
    if (actor := (form.acteur.data or "").strip()):
        query = query.where(func.lower(AuditEntry.actor).contains(actor.lower(), autoescape=True))
    if (target_type := (form.cible_type.data or "").strip()):
        query = query.where(AuditEntry.target_type == target_type)
    if (target := (form.cible.data or "").strip()):
        query = query.where(AuditEntry.target_id == target)
    if form.depuis.data:
        query = query.where(AuditEntry.at >= _day_start(form.depuis.data))
    if form.jusqu_au.data:
        query = query.where(AuditEntry.at < _day_start(form.jusqu_au.data + timedelta(days=1)))
    return query.order_by(AuditEntry.id.desc())


def _filters(form: JournalFiltersForm) -> dict:
    return {key: value for key, value in request.args.items() if value and key != "page"}


@blueprint.get("/")
@requires(*ROLES)
def index():
    form = _form()
    if request.args and not form.validate():
        return render_template("gestion/journal/index.html", form=form, entries=[], total=0, page=1, pages=1,
                               filters={}, has_errors=True), 400
    query = filtered(form)
    session = db.session()
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(form.page.data or 1, pages)
    entries = list(session.scalars(query.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)))
    filters = _filters(form)
    return render_template("gestion/journal/index.html", form=form, entries=entries, total=total, page=page,
                           pages=pages, filters=filters,
                           journal_page_url=lambda number: url_for(".index", **filters, page=number))


@blueprint.get("/export.csv")
@requires(*ROLES)
def export():
    form = _form()
    if not form.validate():
        return render_template("gestion/journal/index.html", form=form, entries=[], total=0, page=1, pages=1,
                               filters={}, has_errors=True), 400
    session = db.session()
    entries = list(session.scalars(filtered(form).limit(EXPORT_LIMIT)))
    audit.record(session, "export_journal", current_staff(), "journal", None,
                 {"filtres": _filters(form), "lignes": len(entries)})
    session.commit()
    return Response(as_csv(entries), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": "attachment; filename=journal.csv"})


def as_csv(entries: list[AuditEntry]) -> str:
    """UTF-8 with a byte-order mark, semicolons: it opens as columns in a French spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["position", "date", "qui", "action", "cible", "numero", "details", "client", "empreinte"])
    for entry in entries:
        writer.writerow([entry.position or "", entry.at.isoformat(), entry.actor, entry.action,
                         entry.target_type or "", entry.target_id or "",
                         json.dumps(entry.details, ensure_ascii=False, sort_keys=True), entry.client or "",
                         entry.hash or ""])
    return "\ufeff" + out.getvalue()


@blueprint.get("/integrite")
@requires(*ROLES)
def integrity():
    """Recompute the whole chain (sealing is the worker's job, every minute)."""
    session = db.session()
    problems = audit.verify(session)
    sealed = select(AuditEntry).where(AuditEntry.position.is_not(None))
    first = session.scalar(sealed.order_by(AuditEntry.position).limit(1))
    last = session.scalar(sealed.order_by(AuditEntry.position.desc()).limit(1))
    pending = session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.position.is_(None)))
    broken_at = min((problem.position for problem in problems if problem.position), default=None)
    intact_until = session.scalar(sealed.where(AuditEntry.position < broken_at)
                                  .order_by(AuditEntry.position.desc()).limit(1)) if broken_at else None
    audit.record(session, "verification_journal", current_staff(), "journal", None,
                 {"intact": not problems, "problemes": len(problems)})
    session.commit()
    return render_template("gestion/journal/integrity.html", problems=problems, first=first, last=last,
                           pending=pending, intact_until=intact_until, broken_at=broken_at)
