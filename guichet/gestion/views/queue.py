"""The queue (/gestion/demandes): every request of the member's services, its tabs, filters, exports and owners.

A plain GET form filters the list (htmx only swaps the list in place, and the URL stays shareable);
the exports take exactly the same query string. Taking or giving requests is a POST, then a redirect.
"""
import csv
import io
import json
from datetime import date, datetime
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, \
    stream_with_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from guichet import db
from guichet.audit import log as audit
from guichet.demarches.catalogue import catalogue
from guichet.gestion.access import current_staff, requires
from guichet.gestion.forms import AssignForm, QueueFilterForm
from guichet.requests import assignment, queue
from guichet.requests.answers import display_name
from guichet.requests.models import DemarcheRequest
from guichet.requests.submission import CHANNELS
from guichet.requests.workflow import AGENT_LABELS
from guichet.staff.models import StaffMember, StaffRole
from guichet.staff.roles import REQUEST_ROLES, services_for
from guichet.web.ratelimit import client_key

blueprint = Blueprint("queue", __name__, url_prefix="/demandes")
TAB_LABELS = {
    "a-traiter": _l("À traiter"),
    "mes-demandes": _l("Mes demandes"),
    "en-attente": _l("En attente du demandeur"),
    "terminees": _l("Terminées"),
    "toutes": _l("Toutes"),
}
FILTER_FIELDS = ("onglet", "statut", "demarche", "service", "responsable", "canal", "echeance", "recue_du",
                 "recue_au", "texte")
EXPORT_COLUMNS = ("reference", "demarche", "service", "nom", "email", "recue_le", "canal", "statut", "suivie_par",
                  "echeance_legale", "jours_restants")
EXPORT_KINDS = ("csv", "json")
MAX_BATCH = 500
RISKY_FIRST_CHARACTERS = ("=", "+", "-", "@", "\t", "\r")


def colleagues(services: set[str]) -> list[StaffMember]:
    """Active members who may own requests in one of these services: whom a request can be given to."""
    working_here = select(StaffRole.staff_id).where(StaffRole.role.in_(REQUEST_ROLES),
                                                     StaffRole.service.in_(sorted(services)))
    return list(db.session().scalars(select(StaffMember).where(StaffMember.id.in_(working_here),
                                                               StaffMember.disabled_at.is_(None))
                                     .order_by(StaffMember.family_name, StaffMember.given_name, StaffMember.id)))


def filter_form(member: StaffMember, services: set[str], people: list[StaffMember]) -> QueueFilterForm:
    """The filters read from the URL, with the choices this person may use."""
    settings_services = current_app.config["SETTINGS"]["services"]
    form = QueueFilterForm(MultiDict(request.args))
    form.onglet.choices = list(TAB_LABELS.items())
    form.statut.choices = [("", _("Tous"))] + list(AGENT_LABELS.items())
    form.demarche.choices = [("", _("Toutes"))] + [(item.slug, item.title) for item in catalogue().all()
                                                   if item.service.key in services]
    form.service.choices = [("", _("Tous"))] + [(key, settings_services[key]["name"] if key in settings_services
                                                 else key) for key in sorted(services)]
    form.responsable.choices = ([("", _("N'importe qui")), (queue.UNOWNED, _("Personne")),
                                 (queue.MINE, _("Moi"))]
                                + [(str(person.id), person.name) for person in people if person.id != member.id])
    form.canal.choices = [("", _("Tous"))] + list(CHANNELS.items())
    return form


def _query_string(form: QueueFilterForm, **overrides) -> str:
    """The filters as a URL query (empty values left out), for tabs, pages and exports."""
    values = {name: (form[name].data or "").strip() for name in FILTER_FIELDS}
    values.update(overrides)
    return urlencode({name: value for name, value in values.items() if value})


def _scope():
    member = current_staff()
    services = services_for(member, *REQUEST_ROLES)
    return member, services


@blueprint.get("")
@requires(*REQUEST_ROLES)
def index():
    member, services = _scope()
    people = colleagues(services)
    form = filter_form(member, services, people)
    today = date.today()
    context = {"form": form, "tabs": TAB_LABELS, "people": people, "today": today, "statuses": AGENT_LABELS,
               "channels": CHANNELS, "titles": {item.slug: item.title for item in catalogue().all()},
               "query": lambda **overrides: _query_string(form, **overrides), "display_name": display_name,
               "assign_form": AssignForm(formdata=None),
               "page_url": lambda number: "/gestion/demandes?" + _query_string(form, page=number),
               "filtered": any((form[name].data or "").strip() for name in FILTER_FIELDS if name != "onglet")}
    if not form.validate():
        errors = [(form[name].id, message) for name in form.data for message in form[name].errors]
        return render_template("gestion/queue/index.html", errors=errors, **context), 400
    filters = form.filters()
    counts = queue.tab_counts(db.session(), filters, member.id, services, today)
    pages = queue.page_count(counts[filters.tab])
    page = form.page_number()
    if page > pages:
        message = _("Cette page n'existe pas : la liste a %(pages)d page(s).", pages=pages)
        return render_template("gestion/queue/index.html", errors=[(form.page.id, message)], **context), 400
    rows = queue.page_rows(db.session(), filters, member.id, services, today, page, counts["avec-echeance"])
    context["assign_form"].agent.choices = [(str(person.id), person.name) for person in people]
    return render_template("gestion/queue/index.html", errors=[], filters=filters, counts=counts, rows=rows,
                           page=page, pages=pages, **context)


# --- Exports ------------------------------------------------------------------------------------------------

def safe_cell(value) -> str:
    """A spreadsheet cell that is never a formula: text starting with = + - @ gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(RISKY_FIRST_CHARACTERS) else text


def export_record(row, today: date, titles: dict, services: dict) -> dict:
    owner = f"{row.owner_given_name or ''} {row.owner_family_name or ''}".strip() or None
    received = row.received_at if row.received_at.tzinfo else row.received_at.replace(tzinfo=queue.PARIS)
    return {
        "reference": row.reference,
        "demarche": titles.get(row.demarche, row.demarche),
        "service": services.get(row.service, {}).get("name", row.service),
        "nom": display_name(row.identity or {}),
        "email": row.email,
        "recue_le": received.astimezone(queue.PARIS).isoformat(timespec="minutes"),
        "canal": str(CHANNELS.get(row.channel, row.channel)),
        "statut": str(AGENT_LABELS.get(row.status, row.status)),
        "suivie_par": owner,
        "echeance_legale": row.decision_due.isoformat() if row.decision_due else None,
        "jours_restants": queue.days_left(row.decision_due, today),
    }


def _csv_lines(rows, today, titles, services):
    """UTF-8 with a byte-order mark and `;` between cells: what French spreadsheets open without a wizard."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    yield "\ufeff" + buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        record = export_record(row, today, titles, services)
        writer.writerow([safe_cell(record[column]) for column in EXPORT_COLUMNS])
        yield buffer.getvalue()


def _json_lines(rows, today, titles, services):
    yield "["
    for number, row in enumerate(rows):
        yield ("," if number else "") + "\n" + json.dumps(export_record(row, today, titles, services),
                                                          ensure_ascii=False)
    yield "\n]\n"


@blueprint.get("/export.<kind>")
@requires(*REQUEST_ROLES)
def export(kind: str):
    """Exactly the filtered list (every page), streamed; the export is in the audit log before any byte leaves."""
    if kind not in EXPORT_KINDS:
        abort(404)
    member, services = _scope()
    form = filter_form(member, services, colleagues(services))
    if not form.validate():
        abort(400, description=" ".join(str(message) for name in form.data for message in form[name].errors))
    filters = form.filters()
    today = date.today()
    session = db.session()
    count = queue.tab_counts(session, filters, member.id, services, today)[filters.tab]
    audit.record(session, "export_demandes", member, "requests", None,
                 {"format": kind, "filtres": {name: value for name, value in request.args.items()
                                              if name in FILTER_FIELDS and value}, "lignes": count}, client_key())
    session.commit()
    titles = {item.slug: item.title for item in catalogue().all()}
    settings_services = current_app.config["SETTINGS"]["services"]
    rows = queue.iter_rows(session, filters, member.id, services, today)
    lines = (_csv_lines if kind == "csv" else _json_lines)(rows, today, titles, settings_services)
    filename = f"demandes-{datetime.now(queue.PARIS):%Y-%m-%d-%H%M}.{kind}"
    mimetype = "text/csv; charset=utf-8" if kind == "csv" else "application/json; charset=utf-8"
    return Response(stream_with_context(lines), mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


# --- Taking and giving requests -----------------------------------------------------------------------------

def _back_to_queue(target: str | None) -> str:
    """Back to the list the person was on; only a queue URL, never another site."""
    return target if target and target.startswith("/gestion/demandes") and "//" not in target else "/gestion/demandes"


def _chosen(value: str | None) -> StaffMember | None:
    text = (value or "").strip()
    return db.session().get(StaffMember, int(text)) if text.isascii() and text.isdigit() and len(text) < 10 else None


@blueprint.post("/attribuer")
@requires(*REQUEST_ROLES)
def assign():
    member, services = _scope()
    form = AssignForm()
    form.agent.choices = [(str(person.id), person.name) for person in colleagues(services)]
    if not form.validate():
        abort(400)
    references = [form.seule.data] if form.seule.data else list(dict.fromkeys(form.demandes.data or []))
    if not 0 < len(references) <= MAX_BATCH:
        abort(400, description=_("Cochez entre 1 et %(max)d demandes.", max=MAX_BATCH))
    session = db.session()
    new_owner = member if request.form.get("action") == "prendre" or form.seule.data else _chosen(form.agent.data)
    if new_owner is None:
        abort(400, description=_("Choisissez la personne à qui attribuer les demandes."))
    found = list(session.scalars(select(DemarcheRequest).where(DemarcheRequest.reference.in_(references),
                                                               DemarcheRequest.service.in_(sorted(services)))))
    if len(found) != len(references):
        abort(404, description=_("Une de ces demandes n'existe pas ou n'est pas dans vos services. "
                                 "Rien n'a été modifié."))
    refused = assignment.problems(member, found, new_owner)
    if refused:
        session.rollback()
        abort(400, description=" ".join(refused) + " " + _("Rien n'a été modifié."))
    changed = assignment.assign(session, member, found, new_owner, client_key())
    session.commit()
    flash(_("%(count)d demande(s) attribuée(s) à %(name)s.", count=changed, name=new_owner.name), "gestion")
    return redirect(_back_to_queue(form.retour.data))
