"""The démarche definitions of the running site, loaded once; a broken file is skipped and logged."""
from flask import Flask, current_app

from guichet.demarches.definitions import Catalogue, load_catalogue
from guichet.paths import FORMS_DIR


def init_app(app: Flask) -> None:
    app.extensions["guichet_demarches"] = load_catalogue(FORMS_DIR, app.config["SETTINGS"]["services"], strict=False)


def catalogue() -> Catalogue:
    return current_app.extensions["guichet_demarches"]
