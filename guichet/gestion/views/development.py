"""Development only: the outbox, so emails can be read without an SMTP server.

The emails hold tracking links to other people's requests, so the page is for signed-in staff (any
role) and exists only in development without SMTP; anywhere else it is not found.
"""
from flask import Blueprint, abort, current_app, render_template
from sqlalchemy import select

from guichet import db
from guichet.gestion.access import ANY_STAFF, requires
from guichet.mail.models import OutboxMessage

blueprint = Blueprint("development", __name__, url_prefix="/dev")


def available() -> bool:
    return current_app.config["GUICHET_ENV"] == "development" and not current_app.config.get("SMTP_HOST")


@blueprint.get("/courriels")
@requires(ANY_STAFF)
def outbox():
    if not available():
        abort(404)
    messages = db.session().scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(50))
    return render_template("gestion/development/outbox.html", messages=list(messages))
