"""Back-office views, one module per area, under one `/gestion` blueprint whose hook checks access."""
from flask import Blueprint, Flask, current_app
from flask_babel import lazy_gettext as _l

from guichet.gestion import access
from guichet.gestion.views import (alerts, appointments, auth, callbacks, contents, counter, development, home,
                                   indicators, journal, letters, people, privacy, queue, reports, requests, workflow)
from guichet.staff.roles import ROLES, has_role

blueprint = Blueprint("gestion", __name__, url_prefix="/gestion")
AREAS = (auth, development, home, queue, reports, requests, workflow, letters, alerts, counter, people, journal,
         privacy, appointments, callbacks, indicators, contents)
# (path, label, roles that see the entry; empty: everyone signed in)
MENU = [
    ("/gestion/", _l("Accueil"), ()),
    ("/gestion/demandes", _l("Demandes"), ("agent", "superviseur")),
    ("/gestion/guichet", _l("Enregistrer une demande"), counter.ROLES),
    ("/gestion/rendez-vous/", _l("Rendez-vous"), appointments.ROLES),
    ("/gestion/rappels/", _l("Rappels"), callbacks.ROLES),
    ("/gestion/signalements/", _l("Signalements"), reports.ROLES),
    ("/gestion/contenus/", _l("Fiches"), contents.ROLES),
    ("/gestion/personnes/", _l("Personnes"), people.ROLES),
    ("/gestion/journal/", _l("Journal"), journal.ROLES),
    ("/gestion/protection-des-donnees/", _l("Protection des données"), privacy.ROLES),
    ("/gestion/mes-alertes", _l("Mes alertes"), alerts.ROLES),
    ("/gestion/indicateurs/", _l("Indicateurs"), indicators.ROLES),
]
DEVELOPMENT_MENU = ("/gestion/dev/courriels", _l("Courriels (développement)"))


@blueprint.before_request
def _check_access():
    access.check_access(current_app.view_functions)


@blueprint.context_processor
def _gestion_context() -> dict:
    staff = access.current_staff()
    menu = [(path, label) for path, label, roles in MENU if staff and (not roles or has_role(staff, *roles))]
    if staff and development.available():
        menu.append(DEVELOPMENT_MENU)
    return {"staff": staff, "gestion_menu": menu, "roles": ROLES,
            "services": current_app.config["SETTINGS"]["services"]}


for _area in AREAS:
    blueprint.register_blueprint(_area.blueprint)


def register(app: Flask) -> None:
    app.register_blueprint(blueprint)
