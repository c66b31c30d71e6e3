"""Sign-in through OpenID Connect (ProConnect-compatible) with Authlib.

Configured from the environment: OIDC_DISCOVERY_URL, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET (and
OIDC_SCOPES). The provider proves who the person is; only an enabled staff account with the same
email opens the back office.
"""
from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app

PROVIDER = "proconnect"
EXTENSION = "guichet_oidc"


def init_app(app: Flask) -> None:
    if not app.config.get("OIDC_DISCOVERY_URL"):
        return
    oauth = OAuth(app)
    oauth.register(PROVIDER, server_metadata_url=app.config["OIDC_DISCOVERY_URL"],
                   client_id=app.config["OIDC_CLIENT_ID"], client_secret=app.config["OIDC_CLIENT_SECRET"],
                   client_kwargs={"scope": app.config["OIDC_SCOPES"]})
    app.extensions[EXTENSION] = oauth


def configured() -> bool:
    return EXTENSION in current_app.extensions


def client():
    return current_app.extensions[EXTENSION].create_client(PROVIDER)


def identity_from(token: dict) -> dict:
    """email, given_name and usual_name (ProConnect) or family_name, from the ID token or the userinfo."""
    claims = dict(token.get("userinfo") or {})
    if not claims.get("email"):
        claims.update(client().userinfo(token=token))
    return {
        "email": (claims.get("email") or "").strip().lower(),
        "given_name": claims.get("given_name") or "",
        "family_name": claims.get("usual_name") or claims.get("family_name") or "",
    }
