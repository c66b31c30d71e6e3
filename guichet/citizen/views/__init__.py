"""One module per area; `register` wires them into the app."""
from flask import Flask

from guichet.citizen.views import (api, appointments, callbacks, demarches, glossary, opendata, pages, reports,
                                   satisfaction, search,
                                   statistics, system, tracking)
from guichet.web import errors
from guichet.web.assets import blueprint as assets_blueprint


def register(app: Flask) -> None:
    for module in (appointments, callbacks, pages, glossary, search, reports, system, demarches, tracking, statistics,
                   opendata, api, satisfaction):
        app.register_blueprint(module.blueprint)
    app.register_blueprint(assets_blueprint)
    errors.register(app)
