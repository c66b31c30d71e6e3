"""Sign-in (email + password + second factor, or OpenID Connect), enrolment, password reset, sign-out.

A failed attempt always gets the same answer, whether the account exists, is locked or disabled:
nobody learns which addresses have an account. Attempts are rate-limited per client.
"""
import time

from authlib.integrations.base_client.errors import OAuthError
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from guichet import db
from guichet.audit import log as audit
from guichet.gestion.access import ANY_STAFF, SESSION_KEY, current_staff, public, requires
from guichet.gestion.forms import CodeForm, EnrolForm, NewPasswordForm, ResetRequestForm, SignInForm
from guichet.citizen.forms import EmptyForm
from guichet.mail import outbox
from guichet.mail.links import site_url
from guichet.staff import oidc, second_factor, signin
from guichet.staff.models import StaffMember
from guichet.web.ratelimit import allow, client_key

blueprint = Blueprint("auth", __name__)
PENDING_KEY = "gestion_attente"
RECOVERY_KEY = "gestion_codes"
PENDING_SECONDS = 300
REASONS = {
    "idle": _l("Votre session a pris fin après 30 minutes sans activité. Connectez-vous de nouveau."),
    "expired": _l("Votre session a duré 10 heures : connectez-vous de nouveau."),
    "sortie": _l("Vous êtes déconnecté."),
}
FAILED = _l("L'adresse e-mail ou le mot de passe est incorrect. Après 5 erreurs, le compte est bloqué 15 minutes.")


def _limited() -> bool:
    limit, window = current_app.config["RATE_LIMIT_SIGN_IN"]
    allowed = allow(db.session(), "connexion", limit, window)
    db.session().commit()
    return not allowed


def _safe_next(target: str | None) -> str:
    """Only a back-office path: never another site, never a protocol-relative URL."""
    if target and target.startswith("/gestion") and "//" not in target and "\\" not in target \
            and target.isprintable():
        return target
    return url_for("gestion.home.index")


def _pending_member() -> StaffMember | None:
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict) or pending.get("until", 0) < time.time():
        session.pop(PENDING_KEY, None)
        return None
    member = db.session().get(StaffMember, pending.get("id"))
    return member if member is not None and signin.can_sign_in(member, signin.utcnow()) else None


def _open_session(member: StaffMember, method: str, next_path: str | None):
    """Rotate the whole cookie session, then hand the browser a new server-side session token."""
    token = signin.start_session(db.session(), member, method)
    audit.record(db.session(), "connexion", member, "staff", member.id, {"method": method}, client_key())
    db.session().commit()
    session.clear()
    session[SESSION_KEY] = token
    session.permanent = False
    return redirect(_safe_next(next_path))


@blueprint.route("/connexion", methods=["GET", "POST"])
@public
def sign_in():
    form = SignInForm()
    message = None
    if request.method == "POST" and form.validate():
        if _limited():
            return render_template("gestion/auth/sign_in.html", form=form, message=_(
                "Trop d'essais depuis ce poste. Attendez 10 minutes, puis réessayez."), has_errors=True,
                oidc=oidc.configured()), 429
        member = signin.check_password(db.session(), form.email.data, form.password.data)
        if member is None:
            known = signin.find_member(db.session(), form.email.data)
            audit.record(db.session(), "connexion_refusee", known, "staff", known.id if known else None,
                         {"method": "mot_de_passe"}, client_key())
            db.session().commit()
            message = str(FAILED)
        else:
            session[PENDING_KEY] = {"id": member.id, "until": int(time.time()) + PENDING_SECONDS,
                                    "suivant": request.args.get("suivant")}
            db.session().commit()
            step = ".code" if member.totp_confirmed_at else ".enrol"
            return redirect(url_for(step))
    reason = str(REASONS[request.args["raison"]]) if request.args.get("raison") in REASONS else None
    has_errors = bool(form.errors or message)
    return render_template("gestion/auth/sign_in.html", form=form, message=message, reason=reason,
                           has_errors=has_errors, oidc=oidc.configured()), 400 if has_errors else 200


@blueprint.route("/connexion/code", methods=["GET", "POST"])
@public
def code():
    member = _pending_member()
    if member is None or member.totp_confirmed_at is None:
        return redirect(url_for(".sign_in"))
    form = CodeForm()
    message = None
    if request.method == "POST" and form.validate():
        if _limited():
            abort(429)
        if signin.check_second_factor(db.session(), member, form.code.data):
            return _open_session(member, "local", session.get(PENDING_KEY, {}).get("suivant"))
        audit.record(db.session(), "connexion_refusee", member, "staff", member.id, {"method": "code"},
                     client_key())
        db.session().commit()
        message = _("Ce code n'est pas bon ou a déjà servi. Attendez le code suivant, puis réessayez.")
    has_errors = bool(form.errors or message)
    return render_template("gestion/auth/code.html", form=form, message=message, has_errors=has_errors), \
        400 if has_errors else 200


@blueprint.route("/connexion/application", methods=["GET", "POST"])
@public
def enrol():
    """First sign-in of a local account: pair an authenticator app, then show the recovery codes once."""
    member = _pending_member()
    if member is None or member.totp_confirmed_at is not None:
        return redirect(url_for(".sign_in"))
    if member.totp_secret is None:
        member.totp_secret = second_factor.new_secret()
        db.session().commit()
    form = EnrolForm()
    if request.method == "POST" and form.validate():
        step = second_factor.accepted_step(member.totp_secret, form.code.data, None)
        if step is not None:
            member.totp_confirmed_at = signin.utcnow()
            member.totp_last_step = step
            codes = signin.replace_recovery_codes(db.session(), member)
            audit.record(db.session(), "double_authentification_activee", member, "staff", member.id,
                         client=client_key())
            response = _open_session(member, "local", url_for(".recovery_codes"))
            session[RECOVERY_KEY] = codes
            return response
        form.code.errors = [_("Ce code n'est pas bon. Vérifiez l'heure de votre téléphone, puis écrivez le "
                              "code affiché maintenant.")]
    org = current_app.config["SETTINGS"]["organisation"]["name"]
    uri = second_factor.provisioning_uri(member.totp_secret, member.email, f"Guichet {org}")
    return render_template("gestion/auth/enrol.html", form=form, secret=member.totp_secret,
                           qr_code=second_factor.qr_code_svg(uri, _("QR code à scanner avec votre application")),
                           has_errors=bool(form.errors)), 400 if form.errors else 200


@blueprint.get("/connexion/codes-de-secours")
@requires(ANY_STAFF)
def recovery_codes():
    """Shown once, right after enrolment; a reload shows that they were already shown."""
    codes = session.pop(RECOVERY_KEY, None)
    return render_template("gestion/auth/recovery_codes.html", codes=codes)


@blueprint.get("/connexion/oidc")
@public
def oidc_start():
    if not oidc.configured():
        abort(404)
    session["gestion_oidc_suivant"] = request.args.get("suivant")
    return oidc.client().authorize_redirect(url_for(".oidc_callback", _external=True))


@blueprint.get("/connexion/oidc/retour")
@public
def oidc_callback():
    if not oidc.configured():
        abort(404)
    try:
        token = oidc.client().authorize_access_token()
        identity = oidc.identity_from(token)
    except (OAuthError, KeyError, ValueError) as error:
        current_app.logger.warning("OIDC sign-in refused: %s", error)
        abort(400, description=_("La connexion n'a pas pu être vérifiée. Recommencez depuis la page de connexion."))
    member = signin.find_member(db.session(), identity["email"]) if identity["email"] else None
    if member is None or not signin.can_sign_in(member, signin.utcnow()):
        audit.record(db.session(), "connexion_refusee", member, "staff", member.id if member else None,
                     {"method": "oidc"}, client_key())
        db.session().commit()
        return render_template("gestion/auth/refused.html"), 403
    if identity["given_name"] and identity["family_name"]:
        member.given_name, member.family_name = identity["given_name"], identity["family_name"]
    return _open_session(member, "oidc", session.pop("gestion_oidc_suivant", None))


@blueprint.post("/deconnexion")
@requires(ANY_STAFF)
def sign_out():
    if not EmptyForm().validate():
        abort(400)
    member = current_staff()
    signin.end_session(db.session(), session.get(SESSION_KEY))
    audit.record(db.session(), "deconnexion", member, "staff", member.id, client=client_key())
    db.session().commit()
    session.clear()
    return redirect(url_for(".sign_in", raison="sortie"))


@blueprint.route("/mot-de-passe-oublie", methods=["GET", "POST"])
@public
def reset_request():
    form = ResetRequestForm()
    if request.method == "POST" and form.validate():
        if _limited():
            abort(429)
        member = signin.find_member(db.session(), form.email.data)
        if member is not None and member.password_hash and signin.can_sign_in(member, signin.utcnow()):
            link = signin.create_reset(db.session(), member)
            body = render_template("gestion/mail/reset.txt", member=member,
                                   link=f"{site_url()}{url_for('.reset', token=link.token)}")
            outbox.enqueue(db.session(), member.email, _("Choisir un nouveau mot de passe"), body)
            audit.record(db.session(), "mot_de_passe_lien_envoye", member, "staff", member.id, client=client_key())
        db.session().commit()
        outbox.send_after_response()
        flash(_("Si un compte existe avec cette adresse, nous venons d'y envoyer un lien. "
                "Il est valable 30 minutes et ne sert qu'une fois."), "gestion")
        return redirect(url_for(".reset_request"))
    return render_template("gestion/auth/reset_request.html", form=form, has_errors=bool(form.errors)), \
        400 if form.errors else 200


@blueprint.route("/mot-de-passe/<token>", methods=["GET", "POST"])
@public
def reset(token: str):
    row = signin.valid_reset(db.session(), token)
    if row is None:
        return render_template("gestion/auth/reset_invalid.html"), 404
    form = NewPasswordForm()
    if request.method == "POST" and form.validate():
        member = signin.use_reset(db.session(), row, form.password.data)
        audit.record(db.session(), "mot_de_passe_change", member, "staff", member.id, client=client_key())
        db.session().commit()
        session.clear()
        flash(_("Votre mot de passe est changé. Connectez-vous avec lui."), "gestion")
        return redirect(url_for(".sign_in"))
    return render_template("gestion/auth/new_password.html", form=form, has_errors=bool(form.errors)), \
        400 if form.errors else 200
