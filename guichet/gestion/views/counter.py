"""Requests that do not come online: an agent registers a request received by phone, at the counter, by post
or by email, by walking the démarche's own pages (the same engine as the citizen's, /demarches/…) with the
person's answers; or opens a draft the person finishes online with a resume code (/reprendre).

The draft carries the channel and the agent; at submission the request records them (a back-office event and
an audit entry), and the agent's browser shows the receipt page, printable for the person.
"""
from flask import Blueprint, current_app, redirect, render_template, request, session, url_for

from guichet import db
from guichet.audit import log as audit
from guichet.demarches import drafts, flow
from guichet.demarches.catalogue import catalogue
from guichet.demarches.models import Draft
from guichet.gestion.access import current_staff, requires
from guichet.gestion.forms import RESUME_CODE, CounterForm
from guichet.mail.links import site_url
from guichet.requests.mails import local_day
from guichet.requests.submission import CHANNELS
from guichet.staff.roles import services_for
from guichet.web.ratelimit import client_key

blueprint = Blueprint("counter", __name__)
ROLES = ("agent",)
AGENT_CHANNELS = ("telephone", "guichet", "courrier", "courriel")
LAST_CODE = "gestion_guichet_brouillon"  # the draft whose code the agent just opened, for its printable page


def _form(formdata=None) -> CounterForm:
    services = services_for(current_staff(), *ROLES)
    demarches = sorted(((item.slug, item.title) for item in catalogue().all() if item.service.key in services),
                       key=lambda choice: choice[1])
    return CounterForm(formdata=formdata, demarches=demarches,
                       channels=[(key, str(CHANNELS[key])) for key in AGENT_CHANNELS])


@blueprint.route("/guichet", methods=["GET", "POST"])
@requires(*ROLES)
def start():
    form = _form(request.form if request.method == "POST" else None)
    if request.method == "GET":
        return render_template("gestion/counter/start.html", form=form)
    if not form.validate():
        return render_template("gestion/counter/start.html", form=form, has_errors=True), 400
    demarche = catalogue().get(form.demarche.data)
    member = current_staff()
    by_code = form.canal.data == RESUME_CODE
    draft = drafts.create(db.session(), demarche.slug, demarche.version, shared=not by_code)
    draft.opened_by = member.id
    draft.channel = None if by_code else form.canal.data
    if by_code:
        draft.resume_code = drafts.new_code(db.session())
    audit.record(db.session(), "guichet.brouillon", member, "demarche", demarche.slug,
                 {"channel": draft.channel, "code": by_code}, client_key())
    db.session().commit()
    if by_code:
        session[LAST_CODE] = draft.id
        return redirect(url_for(".code"))
    response = redirect(url_for("demarches.step", slug=demarche.slug,
                                page_id=flow.first_incomplete(demarche, draft.answers).id))
    drafts.set_cookie(response, draft)
    return response


@blueprint.get("/guichet/code")
@requires(*ROLES)
def code():
    """The resume code to give or print for the person; only for the draft this agent just opened."""
    draft = db.session().get(Draft, session.get(LAST_CODE) or "")
    if draft is None or draft.opened_by != current_staff().id or draft.resume_code is None:
        return redirect(url_for(".start"))
    demarche = catalogue().get(draft.demarche)
    return render_template("gestion/counter/code.html", demarche=demarche,
                           code=drafts.display_code(draft.resume_code), expires=local_day(draft.expires_at),
                           resume_url=f"{site_url()}/reprendre", lifetime=current_app.config["DRAFT_LIFETIME_DAYS"])
