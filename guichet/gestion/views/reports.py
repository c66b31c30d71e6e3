"""Difficulty reports in the back office: filter, read by page, answer publicly, reply privately.

Reports hold no form answers; their contact address is personal, so every look at the list or a
report is written in the audit trail.
"""
from itertools import groupby

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from guichet import db
from guichet.audit import log as audit
from guichet.feedback import reports as feedback
from guichet.feedback.models import Report
from guichet.feedback.page_titles import page_title, site_titles
from guichet.gestion.access import current_staff, requires
from guichet.gestion.forms import ReportAnswerForm, ReportFiltersForm, ReportReplyForm
from guichet.mail import outbox

blueprint = Blueprint("reports", __name__, url_prefix="/signalements")
ROLES = ("superviseur", "admin", "editeur", "relecteur")
PAGE_SIZE = 200


@blueprint.get("/")
@requires(*ROLES)
def index():
    form = ReportFiltersForm(request.args)
    if request.args and not form.validate():
        return render_template("gestion/reports/index.html", form=form, by_page=[], total=0,
                               has_errors=True), 400
    filters = feedback.ReportFilters(status=form.statut.data or None, category=form.categorie.data or None,
                                     page=(form.page.data or "").strip() or None, since=form.depuis.data,
                                     until=form.jusqu_au.data)
    session = db.session()
    found = list(session.scalars(feedback.filtered(filters).limit(PAGE_SIZE + 1)))
    titles = site_titles(session, str(get_locale()))
    by_page = [(page, page_title(page, titles), list(rows)) for page, rows in
               groupby(found[:PAGE_SIZE], key=lambda report: report.page)]
    audit.record(session, "consultation_signalements", current_staff(), "signalements", None,
                 {"filtres": {key: value for key, value in request.args.items() if value}, "lignes": len(found)})
    session.commit()
    return render_template("gestion/reports/index.html", form=form, by_page=by_page, total=len(found),
                           truncated=len(found) > PAGE_SIZE, categories=feedback.REPORT_CATEGORIES)


def _report(report_id: int) -> Report:
    report = db.session().get(Report, report_id)
    if report is None:
        abort(404)
    return report


@blueprint.get("/<int:report_id>")
@requires(*ROLES)
def show(report_id: int):
    report = _report(report_id)
    audit.record(db.session(), "consultation_signalement", current_staff(), "signalement", report.id)
    db.session().commit()
    return _render(report, ReportAnswerForm(status=report.status, public_answer=report.public_answer),
                   ReportReplyForm())


def _render(report: Report, answer_form, reply_form, status: int = 200):
    titles = site_titles(db.session(), str(get_locale()))
    return render_template("gestion/reports/show.html", report=report, answer_form=answer_form,
                           reply_form=reply_form, page=page_title(report.page, titles),
                           categories=feedback.REPORT_CATEGORIES,
                           has_errors=bool(answer_form.errors or reply_form.errors)), status


@blueprint.post("/<int:report_id>/reponse")
@requires(*ROLES)
def answer(report_id: int):
    report = _report(report_id)
    form = ReportAnswerForm()
    if not form.validate():
        return _render(report, form, ReportReplyForm(), 400)
    feedback.answer(report, form.status.data, form.public_answer.data or "")
    audit.record(db.session(), "reponse_signalement", current_staff(), "signalement", report.id,
                 {"statut": report.status, "reponse_publique": bool(report.public_answer)})
    db.session().commit()
    flash(_("Le signalement est enregistré."), "gestion")
    return redirect(url_for(".show", report_id=report.id))


@blueprint.post("/<int:report_id>/courriel")
@requires(*ROLES)
def reply(report_id: int):
    report = _report(report_id)
    form = ReportReplyForm()
    if not report.contact_email:
        abort(400, description=_("Cette personne n'a pas laissé d'adresse e-mail : vous ne pouvez pas lui répondre."))
    if not form.validate():
        return _render(report, ReportAnswerForm(status=report.status, public_answer=report.public_answer), form, 400)
    feedback.reply_privately(db.session(), report, form.text.data,
                             current_app.config["SETTINGS"]["organisation"]["name"])
    audit.record(db.session(), "reponse_privee_signalement", current_staff(), "signalement", report.id)
    db.session().commit()
    outbox.send_after_response()
    flash(_("Votre réponse part par e-mail."), "gestion")
    return redirect(url_for(".show", report_id=report.id))
