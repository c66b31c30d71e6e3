""""Signaler une difficulté": stored without JS or with htmx, bad input refused and nothing stored."""
import re

from sqlalchemy import func, select

from guichet import db
from guichet.feedback.models import FeedbackVote, Report
from tests.conftest import csrf_token


def count_reports(app) -> int:
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(Report))


def report_data(client, page="/fiches/pacs", **fields):
    data = {"signalement-csrf_token": csrf_token(client, page), "signalement-page": page,
            "signalement-category": "comprendre", "signalement-text": "Le mot « Pacs » n'est pas clair."}
    data.update(fields)
    return data


def test_report_without_js_is_stored_and_redirects_back(app, client):
    before = count_reports(app)
    response = client.post("/signalements", data=report_data(client), headers={"User-Agent": "Mozilla/5.0 (iPhone)"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/fiches/pacs#signaler"
    assert count_reports(app) == before + 1
    with app.app_context():
        report = db.session().scalars(select(Report).order_by(Report.id.desc())).first()
    assert (report.category, report.page, report.lang, report.device, report.status) == \
        ("comprendre", "/fiches/pacs", "fr", "mobile", "nouveau")
    assert report.contact_email is None
    page = client.get("/fiches/pacs").get_data(as_text=True)
    assert "Merci, votre signalement est envoyé" in page


def test_query_string_is_never_stored(app, client):
    data = report_data(client, page="/recherche?q=mon+nom")
    response = client.post("/signalements", data=data)
    assert response.status_code == 400
    data = report_data(client, page="/recherche")
    client.post("/signalements", data=data)
    with app.app_context():
        assert db.session().scalars(select(Report).order_by(Report.id.desc())).first().page == "/recherche"


def test_report_with_htmx_returns_a_fragment_and_a_live_region_update(app, client):
    response = client.post("/signalements", data=report_data(client), headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="signalement-annonce" data-hx-swap-oob="innerHTML"' in html


def test_contact_email_is_kept_only_when_asked(app, client):
    client.post("/signalements", data=report_data(client, **{"signalement-recontact": "y",
                                                            "signalement-email": "marie@example.fr"}))
    with app.app_context():
        assert db.session().scalars(select(Report).order_by(Report.id.desc())).first().contact_email == \
            "marie@example.fr"


def test_recontact_without_email_is_an_error(app, client):
    before = count_reports(app)
    response = client.post("/signalements", data=report_data(client, **{"signalement-recontact": "y"}))
    assert response.status_code == 400
    assert "Écrivez votre adresse e-mail" in response.get_data(as_text=True)
    assert count_reports(app) == before


def test_unknown_category_is_refused(app, client):
    before = count_reports(app)
    response = client.post("/signalements", data=report_data(client, **{"signalement-category": "pirate"}))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<title>Erreur :" in html and 'class="resume-erreurs"' in html
    assert count_reports(app) == before


def test_text_too_long_is_refused_and_kept_for_correction(app, client):
    before = count_reports(app)
    long_text = "a" * 1001
    response = client.post("/signalements", data=report_data(client, **{"signalement-text": long_text}))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "1 000 caractères au maximum" in html
    assert long_text in html
    assert count_reports(app) == before


def test_missing_or_wrong_csrf_token_is_refused(app, client):
    before = count_reports(app)
    data = report_data(client)
    del data["signalement-csrf_token"]
    response = client.post("/signalements", data=data)
    assert response.status_code == 400
    assert "pas pu être vérifié" in response.get_data(as_text=True)
    data["signalement-csrf_token"] = "faux"
    assert client.post("/signalements", data=data).status_code == 400
    assert count_reports(app) == before


def test_a_robot_flooding_reports_is_stopped_by_the_rate_limit_and_nothing_more_is_stored(app, client):
    """Spam protection without a hidden trap field (text browsers and screen readers showed it): CSRF and
    the rate limit per client; an old trap field is just an unknown field."""
    app.config["RATE_LIMIT_REPORTS"] = (3, 600)
    before = count_reports(app)
    try:
        robot = {"REMOTE_ADDR": "192.0.2.99"}
        statuses = [client.post("/signalements", data=report_data(client, **{"signalement-website": "http://spam"}),
                                environ_base=robot).status_code for _ in range(6)]
        person = client.post("/signalements", data=report_data(client), environ_base={"REMOTE_ADDR": "192.0.2.100"})
    finally:
        app.config["RATE_LIMIT_REPORTS"] = (10_000, 600)
    assert statuses == [302, 302, 302, 429, 429, 429]
    assert person.status_code == 302, "another client is not held back"
    assert count_reports(app) == before + 4
    assert "Ne remplissez pas" not in client.get("/fiches/pacs").get_data(as_text=True)


def test_the_report_page_of_its_own_keeps_the_page_it_is_about(app, client):
    """Text browsers' link: the form alone on a page, about the page the person came from."""
    response = client.get("/signalements/nouveau?page=/fiches/pacs")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<h1>Signaler une difficulté</h1>' in html and "<title>Erreur" not in html
    assert 'name="signalement-page" value="/fiches/pacs"' in html and 'href="/fiches/pacs"' in html
    assert 'id="signaler-depliant"' not in html, "the page does not repeat the widget"
    before = count_reports(app)
    token = re.search(r'name="signalement-csrf_token" value="([^"]+)"', html).group(1)
    response = client.post("/signalements", data={**report_data(client), "signalement-csrf_token": token})
    assert response.headers["Location"] == "/fiches/pacs#signaler" and count_reports(app) == before + 1
    for page in ("https://ailleurs.example/", "/recherche?q=mon+nom", "//ailleurs.example", "/aide\n"):
        refused = client.get("/signalements/nouveau", query_string={"page": page})
        assert refused.status_code == 400 and "origine est inconnue" in refused.get_data(as_text=True)


def test_rate_limit_per_client(app, client):
    app.config["RATE_LIMIT_REPORTS"] = (2, 600)
    try:
        other = {"REMOTE_ADDR": "192.0.2.77"}
        statuses = [client.post("/signalements", data=report_data(client), environ_base=other).status_code
                    for _ in range(3)]
    finally:
        app.config["RATE_LIMIT_REPORTS"] = (10_000, 600)
    assert statuses == [302, 302, 429]


def test_counter_counts_without_storing(client):
    response = client.post("/signalements/compteur", data={"signalement-text": "abc"},
                           headers={"HX-Request": "true", "X-CSRFToken": csrf_token(client)})
    assert "997 caractères" in response.get_data(as_text=True)


def test_public_follow_up_shows_treated_reports_only(app, client):
    client.post("/signalements", data=report_data(client, page="/aide"))
    with app.app_context():
        session = db.session()
        report = session.scalars(select(Report).order_by(Report.id.desc())).first()
        report_id = report.id
    runner = app.test_cli_runner()
    result = runner.invoke(args=["reports", "answer", str(report_id), "--text", "Nous avons ajouté les horaires."])
    assert result.exit_code == 0, result.output
    listing = runner.invoke(args=["reports", "list", "--status", "traité"])
    assert f"#{report_id}" in listing.output
    html = client.get("/signalements/suivi-public").get_data(as_text=True)
    assert "Nous avons ajouté les horaires." in html and 'href="/aide"' in html


def test_feedback_vote_is_counted(app, client):
    with app.app_context():
        before = db.session().scalar(select(func.count()).select_from(FeedbackVote))
    response = client.post("/avis", data={"avis-csrf_token": csrf_token(client, "/fiches/rsa"),
                                          "avis-page": "/fiches/rsa", "avis-useful": "non"})
    assert response.status_code == 302 and response.headers["Location"] == "/fiches/rsa#avis"
    with app.app_context():
        assert db.session().scalar(select(func.count()).select_from(FeedbackVote)) == before + 1
    assert "Merci pour votre réponse" in client.get("/fiches/rsa").get_data(as_text=True)


def test_feedback_with_bad_value_is_refused(client):
    response = client.post("/avis", data={"avis-csrf_token": csrf_token(client, "/fiches/rsa"),
                                          "avis-page": "/fiches/rsa", "avis-useful": "peut-être"})
    assert response.status_code == 400


def test_email_typed_without_ticking_the_box_is_kept_as_consent_and_said(app, client):
    """Typing an address "only if you want an answer" is the request itself: never dropped silently."""
    response = client.post("/signalements", data=report_data(client, **{"signalement-email": " lea@example.fr "}))
    assert response.status_code == 302
    with app.app_context():
        assert db.session().scalars(select(Report).order_by(Report.id.desc())).first().contact_email == \
            "lea@example.fr"
    assert "Nous vous répondrons par e-mail." in client.get("/fiches/pacs").get_data(as_text=True)
    fragment = client.post("/signalements", data=report_data(client, **{"signalement-email": "lea@example.fr"}),
                           headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Nous vous répondrons par e-mail." in fragment


def test_without_email_the_confirmation_promises_no_answer(client):
    client.post("/signalements", data=report_data(client))
    assert "Nous vous répondrons" not in client.get("/fiches/pacs").get_data(as_text=True)


def test_public_follow_up_shows_page_titles_not_paths(app, client):
    step = "/demarches/changement-adresse/etape/personnes"
    for page in (step, "/suivi/ADM-2026-000007"):
        client.post("/signalements", data={**report_data(client), "signalement-page": page})
    with app.app_context():
        ids = [report.id for report in db.session().scalars(select(Report).order_by(Report.id.desc()).limit(2))]
    runner = app.test_cli_runner()
    for report_id in ids:
        assert runner.invoke(args=["reports", "answer", str(report_id), "--text", "Question plus claire."]).exit_code == 0
    html = client.get("/signalements/suivi-public").get_data(as_text=True)
    assert "Déclarer votre changement d&#39;adresse à la mairie – Combien de personnes déménagent avec vous ?" in html
    assert step not in html and "ADM-2026-000007" not in html
