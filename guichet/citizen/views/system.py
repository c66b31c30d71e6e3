"""Machine-facing routes: health check, sitemap, language switch."""

from flask import Blueprint, Response, current_app, jsonify, redirect, render_template, request
from sqlalchemy import text

from guichet import db
from guichet.content import queries
from guichet.content.glossary import entries_by_letter
from guichet.demarches.catalogue import catalogue
from guichet.web.i18n import LANGUAGES, LANGUAGE_COOKIE
from guichet.web.local_paths import is_local_path
from lexicon import load_vocabulary

blueprint = Blueprint("system", __name__)
STATIC_PUBLIC_PAGES = ["/", "/evenements", "/fiches", "/demarches", "/aide", "/aide/lieux", "/glossaire", "/recherche",
                       "/plan-du-site", "/accessibilite", "/donnees-personnelles", "/signalements/suivi-public",
                       "/suivi", "/statistiques", "/donnees", "/modalites-teleservices", "/rendez-vous/", "/rappel/"]


@blueprint.get("/healthz")
def healthz():
    try:
        db.session().execute(text("SELECT 1"))
    except Exception:  # any database failure means "not healthy", whatever the driver raised
        current_app.logger.exception("health check: database unreachable")
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")


def public_urls() -> list[str]:
    """Every public page; the accessibility audit crawls exactly this list."""
    session = db.session()
    urls = list(STATIC_PUBLIC_PAGES)
    urls += [f"/evenements/{event.slug}" for event in queries.events(session, "fr")]
    urls += [f"/fiches/{fiche.slug}" for fiche in queries.fiches(session, "fr")]
    urls += [f"/demarches/{demarche.slug}" for demarche in catalogue().all()]
    urls += [f"/statistiques/{demarche.slug}" for demarche in catalogue().all()]
    urls += [f"/glossaire/lettre/{letter}" for letter in entries_by_letter()]
    urls += [f"/glossaire/{entry.slug}" for entry in load_vocabulary().glossary()]
    return urls


@blueprint.get("/sitemap.xml")
def sitemap():
    base = current_app.config["SETTINGS"]["organisation"]["site_url"].rstrip("/")
    xml = render_template("sitemap.xml", base=base, urls=public_urls())
    return Response(xml, mimetype="application/xml")


@blueprint.get("/langue/<code>")
def switch_language(code: str):
    """A plain link switches language (no JS); the choice is kept in a cookie for a year."""
    target = request.args.get("suivant", "/")
    response = redirect(target if is_local_path(target, query=True) else "/")
    if code in LANGUAGES:
        response.set_cookie(LANGUAGE_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax",
                            secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True)
    return response
