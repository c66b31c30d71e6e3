"""Guichet: an online public-service counter. `create_app` builds the Flask application."""
from flask import Flask
from flask_babel import Babel
from flask_compress import Compress
from flask_htmx import HTMX
from flask_wtf.csrf import CSRFProtect

from guichet import config, db
from guichet.feedback import funnel
from guichet.paths import CONTENT_DIR, INSTANCE_DIR, STATIC_DIR, TEMPLATES_DIR
from guichet.web import assets, help_point, i18n, input, pagecache, security

csrf = CSRFProtect()
babel = Babel()
htmx = HTMX()
compress = Compress()


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(__name__, template_folder=str(TEMPLATES_DIR), static_folder=None,
                instance_path=str(INSTANCE_DIR))
    app.config.update(config.from_environment())
    app.config.update(overrides or {})
    input.init_app(app)
    app.extensions["guichet_assets"] = assets.AssetStore({
        "css": STATIC_DIR / "css", "img": STATIC_DIR / "img", "vendor": STATIC_DIR / "vendor",
        "contenu": CONTENT_DIR / "images", "js": STATIC_DIR / "js",
    }, generated={
        "css/site.css": assets.themed_stylesheet(STATIC_DIR / "css" / "guichet.css",
                                                 app.config["SETTINGS"]["organisation"].get("tokens", {})),
    })
    db.import_models()
    db.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)
    i18n.init_app(app, babel)
    security.init_app(app)
    help_point.init_app(app)
    compress.init_app(app)
    pagecache.init_app(app)
    funnel.init_app(app)

    from guichet import cli
    from guichet.web import templating
    from guichet.citizen import views as citizen_views
    from guichet.demarches import catalogue
    from guichet.gestion import views as gestion_views
    from guichet.staff import demo, oidc
    catalogue.init_app(app)
    templating.init_app(app)
    oidc.init_app(app)
    citizen_views.register(app)
    gestion_views.register(app)
    cli.register(app)
    demo.refuse_outside_development(app)
    return app
