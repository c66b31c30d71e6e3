"""Every /gestion route checks who is asking: a walk over the URL map, so a route without a check fails."""
import re

import pytest

from tests.gestion.conftest import open_session

SAMPLE_VALUES = {"token": "x" * 20, "reference": "ADM-2026-000001", "id": "1", "request_id": "1"}


def gestion_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/gestion")]


def concrete(rule) -> str:
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", lambda match: SAMPLE_VALUES.get(match.group(1), "1"), rule.rule)


def token(client) -> str:
    html = client.get("/gestion/connexion").get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def call(client, rule, method):
    """A well-formed request (with its CSRF token): only the access check may refuse it."""
    data = {"csrf_token": token(client)} if method == "POST" else None
    return client.open(concrete(rule), method=method, data=data)


def is_public(app, rule) -> bool:
    return getattr(app.view_functions[rule.endpoint], "gestion_public", False)


def test_every_gestion_view_declares_who_may_open_it(app):
    undeclared = [rule.endpoint for rule in gestion_rules(app)
                  if getattr(app.view_functions[rule.endpoint], "gestion_roles", None) is None]
    assert not undeclared, f"routes without @requires or @public: {undeclared}"
    assert len(gestion_rules(app)) >= 10


def test_anonymous_visitors_are_sent_to_sign_in(app, client):
    for rule in gestion_rules(app):
        if is_public(app, rule):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = call(client, rule, method)
            assert response.status_code == 302, (rule.rule, method, response.status_code)
            assert response.headers["Location"].startswith("/gestion/connexion"), rule.rule
            assert response.headers["Cache-Control"] == "no-store"


def test_signed_in_staff_without_the_role_get_403(app, make_staff):
    member = make_staff()  # signed in, no role at all
    client = app.test_client()
    open_session(app, client, member)
    checked = 0
    for rule in gestion_rules(app):
        roles = app.view_functions[rule.endpoint].gestion_roles
        if is_public(app, rule) or "*" in roles:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = call(client, rule, method)
            assert response.status_code == 403, (rule.rule, method, response.status_code)
            checked += 1
    assert checked == sum(len(rule.methods - {"HEAD", "OPTIONS"}) for rule in gestion_rules(app)
                          if not is_public(app, rule) and "*" not in app.view_functions[rule.endpoint].gestion_roles)


@pytest.mark.parametrize("role", ["agent", "superviseur", "admin", "dpo", "editeur", "relecteur"])
def test_each_role_reaches_the_home_page(app, make_staff, role):
    member = make_staff((role, None if role in ("admin", "dpo") else "etat-civil"))
    client = app.test_client()
    open_session(app, client, member)
    response = client.get("/gestion/")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
