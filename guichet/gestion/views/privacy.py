"""The DPO's desk: the register of processing activities (GDPR art. 30) and what retention will delete next."""
from flask import Blueprint, Response, current_app, render_template

from guichet import db
from guichet.db import utcnow
from guichet.demarches.catalogue import catalogue
from guichet.gestion.access import requires
from guichet.privacy import register, retention

blueprint = Blueprint("privacy", __name__, url_prefix="/protection-des-donnees")
ROLES = ("dpo",)


def _register() -> list[register.Entry]:
    settings = current_app.config["SETTINGS"]
    return register.entries(catalogue().all(), settings["organisation"]["name"],
                            retention.report_contact_months(settings))


@blueprint.get("/")
@requires(*ROLES)
def index():
    """What the next retention run would delete (the worker runs it daily; nothing changes here)."""
    planned = retention.plan(db.session(), catalogue(), utcnow(),
                             retention.report_contact_months(current_app.config["SETTINGS"]))
    return render_template("gestion/privacy/index.html", planned=planned)


@blueprint.get("/registre")
@requires(*ROLES)
def register_page():
    return render_template("gestion/privacy/register.html", entries=_register())


@blueprint.get("/registre.csv")
@requires(*ROLES)
def register_csv():
    return Response(register.as_csv(_register()), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": "attachment; filename=registre-des-traitements.csv"})
