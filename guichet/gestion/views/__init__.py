"""Back-office views, one module per area, under one `/gestion` blueprint whose hook checks access."""
from flask import Blueprint, Flask, current_app

from guichet.gestion import access
from guichet.gestion.views import auth, home

blueprint = Blueprint("gestion", __name__, url_prefix="/gestion")
AREAS = (auth, home)


@blueprint.before_request
def _check_access():
    access.check_access(current_app.view_functions)


def register(app: Flask) -> None:
    for area in AREAS:
        blueprint.register_blueprint(area.blueprint)
    app.register_blueprint(blueprint)
