"""A person's file: search by name, email or phone; the person's requests, messages and reports.

Agents and supervisors see only what concerns their services; the DPO sees everything and has the
export and erasure tools. Every search and every look at a file is written in the audit trail, with
the person's number, never the address.
"""
import json

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from guichet import db
from guichet.audit import log as audit
from guichet.db import utcnow
from guichet.demarches.catalogue import catalogue
from guichet.gestion.access import current_staff, requires
from guichet.gestion.forms import AttachRequestForm, DetachRequestForm, ErasureForm, PersonSearchForm
from guichet.people import export as person_export
from guichet.people import files
from guichet.people.models import Person
from guichet.requests.models import DemarcheRequest
from guichet.requests.workflow import AGENT_LABELS

blueprint = Blueprint("people", __name__, url_prefix="/personnes")
ROLES = ("agent", "superviseur", "dpo")
TARGET = person_export.PERSON_TARGET


@blueprint.get("/")
@requires(*ROLES)
def search():
    form = PersonSearchForm(request.args)
    if not request.args:
        return render_template("gestion/people/search.html", form=form, found=None)
    if not form.validate():
        return render_template("gestion/people/search.html", form=form, found=None, has_errors=True), 400
    session = db.session()
    found = files.search(session, form.q.data, files.scope_for(current_staff()))
    people = {entry.email: files.person_for(session, entry.email) for entry in found}
    audit.record(session, "recherche_personnes", current_staff(), TARGET, None,
                 {"resultats": [person.id for person in people.values()]})
    session.commit()
    return render_template("gestion/people/search.html", form=form, found=found, people=people)


def _person(person_id: int) -> Person:
    """The person, if something of their file is in the member's scope; 404 otherwise (nothing is revealed)."""
    session = db.session()
    person = session.get(Person, person_id)
    scope = files.scope_for(current_staff())
    if person is None or not (files.visible(session, person, scope)
                              or files.detached_requests(session, person, scope)):
        abort(404)
    return person


@blueprint.get("/<int:person_id>")
@requires(*ROLES)
def show(person_id: int):
    person = _person(person_id)
    audit.record(db.session(), "consultation_personne", current_staff(), TARGET, person.id)
    db.session().commit()
    return _render(person, AttachRequestForm())


def _render(person: Person, attach_form: AttachRequestForm, status: int = 200):
    session = db.session()
    scope = files.scope_for(current_staff())
    requests = files.requests_of(session, person, scope)
    return render_template("gestion/people/show.html", person=person, requests=requests,
                           name=files.display_name(requests), reports=files.reports_of(session, person, scope),
                           detached=files.detached_requests(session, person, scope), attach_form=attach_form,
                           is_dpo=scope.services is None,
                           has_errors=bool(attach_form.errors), **_labels()), status


def _labels() -> dict:
    """How templates name a démarche and a status (the raw key when unknown)."""
    titles = {demarche.slug: demarche.title for demarche in catalogue().all()}
    return {"demarche_title": lambda slug: titles.get(slug, slug),
            "status_label": lambda key: AGENT_LABELS.get(key, key)}


def _request_in_scope(reference: str) -> DemarcheRequest | None:
    found = db.session().scalar(select(DemarcheRequest).where(
        func.upper(DemarcheRequest.reference) == reference.strip().upper()))
    return found if found is not None and files.scope_for(current_staff()).covers(found) else None


@blueprint.post("/<int:person_id>/rattacher")
@requires(*ROLES)
def attach(person_id: int):
    person = _person(person_id)
    form = AttachRequestForm()
    if not form.validate():
        return _render(person, form, 400)
    found = _request_in_scope(form.reference.data)
    if found is None:
        form.reference.errors = [_("Aucune demande de vos services n'a cette référence.")]
        return _render(person, form, 400)
    files.set_link(db.session(), person, found, True, current_staff())
    audit.record(db.session(), "rattachement_personne", current_staff(), TARGET, person.id,
                 {"demande": found.reference})
    db.session().commit()
    flash(_("La demande %(reference)s est rattachée à cette personne.", reference=found.reference), "gestion")
    return redirect(url_for(".show", person_id=person.id))


@blueprint.post("/<int:person_id>/detacher/<int:request_id>")
@requires(*ROLES)
def detach(person_id: int, request_id: int):
    person = _person(person_id)
    session = db.session()
    found = session.get(DemarcheRequest, request_id)
    if found is None or not files.scope_for(current_staff()).covers(found):
        abort(404)
    if not DetachRequestForm().validate():
        abort(400, description=_("Le formulaire a expiré : rechargez la page, puis recommencez."))
    files.set_link(session, person, found, False, current_staff())
    audit.record(session, "detachement_personne", current_staff(), TARGET, person.id, {"demande": found.reference})
    session.commit()
    flash(_("La demande %(reference)s n'est plus rattachée à cette personne.", reference=found.reference), "gestion")
    return redirect(url_for(".show", person_id=person.id))


# --- The DPO's tools ----------------------------------------------------------------------------------------

def _any_person(person_id: int) -> Person:
    person = db.session().get(Person, person_id)
    if person is None:
        abort(404)
    return person


@blueprint.get("/<int:person_id>/export")
@requires("dpo")
def export_page(person_id: int):
    person = _any_person(person_id)
    content = person_export.export(db.session(), person, utcnow())
    audit.record(db.session(), "export_personne", current_staff(), TARGET, person.id, {"format": "page"})
    db.session().commit()
    return render_template("gestion/people/export.html", person=person, content=content, **_labels())


@blueprint.get("/<int:person_id>/export.json")
@requires("dpo")
def export_json(person_id: int):
    person = _any_person(person_id)
    content = person_export.export(db.session(), person, utcnow())
    audit.record(db.session(), "export_personne", current_staff(), TARGET, person.id, {"format": "json"})
    db.session().commit()
    return Response(json.dumps(content, ensure_ascii=False, indent=2), mimetype="application/json",
                    headers={"Content-Disposition": f"attachment; filename=personne-{person.id}.json"})


@blueprint.get("/<int:person_id>/effacement")
@requires("dpo")
def erasure(person_id: int):
    person = _any_person(person_id)
    return _render_erasure(person, ErasureForm())


def _render_erasure(person: Person, form: ErasureForm, status: int = 200):
    return render_template("gestion/people/erase.html", person=person, form=form,
                           processing=person_export.erasure_refusal(db.session(), person),
                           has_errors=bool(form.errors) or status != 200, **_labels()), status


@blueprint.post("/<int:person_id>/effacement")
@requires("dpo")
def erase(person_id: int):
    person = _any_person(person_id)
    form = ErasureForm()
    if person_export.erasure_refusal(db.session(), person):
        return _render_erasure(person, form, 409)
    if not form.validate():
        return _render_erasure(person, form, 400)
    counts = person_export.erase(db.session(), person, current_staff())
    db.session().commit()
    flash(_("Les données de la personne n° %(id)s sont effacées : %(requests)s demande(s), %(reports)s "
            "signalement(s).", id=person_id, requests=len(counts["demandes"]), reports=counts["signalements"]),
          "gestion")
    return redirect(url_for(".search"))
