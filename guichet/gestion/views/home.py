"""The back office's home page: what the signed-in person can open."""
from flask import Blueprint, render_template

from guichet.gestion.access import ANY_STAFF, current_staff, requires

blueprint = Blueprint("home", __name__)


@blueprint.get("/")
@requires(ANY_STAFF)
def index():
    return render_template("gestion/home.html", member=current_staff())
