"""Démarches over HTTP with JS off: every démarche from start to receipt, and every bad input."""
import io
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from guichet import db
from guichet.demarches import flow
from guichet.demarches.catalogue import catalogue
from guichet.demarches.models import Draft, StoredFile
from guichet.feedback.models import FunnelEvent
from guichet.mail.models import OutboxMessage
from guichet.requests.models import DemarcheRequest
from guichet.requests.deadlines import add_months
from a11y.walker import page_data, small_png, start, submit, token_of, walk_to_check


def demarche(app, slug):
    with app.app_context():
        return catalogue().get(slug)


def all_slugs(app):
    with app.app_context():
        return [item.slug for item in catalogue().all()]


def count(app, model):
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("slug", ["signaler-probleme-voie-publique", "demande-acte-etat-civil", "inscription-cantine",
                                  "changement-adresse", "occupation-domaine-public"])
def test_every_demarche_goes_from_start_to_receipt(app, slug):
    client = app.test_client()
    item = demarche(app, slug)
    check_html = walk_to_check(client, item)
    assert "Vérifiez vos réponses" in check_html
    assert "Modifier" in check_html
    before = count(app, DemarcheRequest)
    response = submit(client, item, check_html)
    assert response.status_code == 302 and response.headers["Location"].endswith("/accuse-de-reception")
    assert count(app, DemarcheRequest) == before + 1
    receipt = client.get(response.headers["Location"])
    html = receipt.get_data(as_text=True)
    assert receipt.headers["Cache-Control"] == "no-store"
    assert re.search(r"ADM-\d{4}-\d{6}", html)
    assert item.service.designation.replace("'", "&#39;") in html
    assert item.service.phone in html and item.service.email in html


def test_receipt_states_implicit_acceptance_date_and_attestation(app):
    client = app.test_client()
    item = demarche(app, "inscription-cantine")
    html = client.get(submit(client, item, walk_to_check(client, item)).headers["Location"]).get_data(as_text=True)
    expected = add_months(date.today(), item.legal.duration_months)
    from babel.dates import format_date
    assert f"Votre demande sera acceptée le {format_date(expected, 'long', locale='fr')}" in html
    assert "article 22 de la loi n° 2000-321" in html


def test_receipt_states_implicit_rejection_and_appeal(app):
    client = app.test_client()
    item = demarche(app, "occupation-domaine-public")
    html = client.get(submit(client, item, walk_to_check(client, item)).headers["Location"]).get_data(as_text=True)
    assert "Votre demande sera refusée le" in html
    assert "Comment contester un refus" in html


def test_double_submission_creates_one_request(app):
    client = app.test_client()
    item = demarche(app, "changement-adresse")
    check_html = walk_to_check(client, item)
    before = count(app, DemarcheRequest)
    first = submit(client, item, check_html)
    cookie = client.get_cookie("brouillon-changement-adresse")
    assert cookie is None  # the first answer clears it; a real double click still sends the old one:
    client.set_cookie("brouillon-changement-adresse", _last_draft_id(app))
    second = submit(client, item, check_html)
    assert count(app, DemarcheRequest) == before + 1
    assert first.headers["Location"] == second.headers["Location"]


def _last_draft_id(app):
    with app.app_context():
        return db.session().scalars(select(Draft.id).where(Draft.request_id.is_not(None))
                                    .order_by(Draft.created_at.desc())).first()


def test_steps_are_never_cached_and_titles_count_steps(app):
    client = app.test_client()
    item = demarche(app, "changement-adresse")
    location = start(client, item, for_whom=None).headers["Location"]
    response = client.get(location)
    html = response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    assert re.search(r"<title>[^<]*Étape 1 sur \d+[^<]*</title>", html)
    assert html.count("<h1") == 1
    assert 'action="/signalements"' not in html or 'formaction="/signalements"' in html


def test_errors_show_summary_title_prefix_and_keep_answers(app):
    client = app.test_client()
    item = demarche(app, "changement-adresse")
    location = start(client, item).headers["Location"]
    token = token_of(client.get(location).get_data(as_text=True))
    response = client.post(location, data={"csrf_token": token, "nouvelle_adresse-ligne1": "3 rue Haute",
                                           "nouvelle_adresse-code_postal": "991", "nouvelle_adresse-commune": "Admiville"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<title>Erreur :" in html
    assert 'class="resume-erreurs"' in html and 'href="#nouvelle_adresse"' in html
    assert "5 chiffres" in html
    assert 'value="3 rue Haute"' in html
    assert 'aria-describedby="nouvelle_adresse-erreur1"' in html or 'nouvelle_adresse-erreur1' in html


def test_out_of_order_step_redirects_to_first_unanswered(app):
    client = app.test_client()
    item = demarche(app, "changement-adresse")
    first = start(client, item).headers["Location"]
    later = flow_page_id(item, -1)
    response = client.get(f"/demarches/{item.slug}/etape/{later}")
    assert response.status_code == 302 and response.headers["Location"].endswith(first.split("/demarches")[1])
    assert client.get(f"/demarches/{item.slug}/verifier").status_code == 302


def flow_page_id(item, index):
    return flow.all_pages(item)[index].id


def test_unknown_demarche_is_404_and_tampered_step_or_draft_is_400(app):
    client = app.test_client()
    assert client.get("/demarches/n-existe-pas").status_code == 404
    item = demarche(app, "changement-adresse")
    start(client, item)
    response = client.get(f"/demarches/{item.slug}/etape/page_inventee")
    assert response.status_code == 400 and "Cette étape n&#39;existe pas" in response.get_data(as_text=True)
    client.set_cookie("brouillon-changement-adresse", "<script>")
    assert client.get(f"/demarches/{item.slug}/verifier").status_code == 400


def test_csrf_failure_asks_to_retry_and_keeps_answers(app):
    client = app.test_client()
    item = demarche(app, "changement-adresse")
    location = start(client, item).headers["Location"]
    page = item.pages[0]
    html = client.get(location).get_data(as_text=True)
    assert client.post(location, data=page_data(page, token_of(html))).status_code == 302
    response = client.post(location, data={**page_data(page, "faux")})
    assert response.status_code == 400
    assert "Revenez à la page" in response.get_data(as_text=True)
    again = client.get(location).get_data(as_text=True)
    assert 'value="12 rue des Lilas"' in again


def test_repeatable_children_can_be_added_and_removed(app):
    client = app.test_client()
    item = demarche(app, "inscription-cantine")
    group_page = next(page for page in item.pages if page.repeat)
    start(client, item)
    first = f"/demarches/{item.slug}/etape/{group_page.id}/1"
    token = token_of(client.get(first).get_data(as_text=True))
    assert client.post(first, data=page_data(group_page, token)).status_code == 302
    second = f"/demarches/{item.slug}/etape/{group_page.id}/2"
    assert client.post(second, data=page_data(group_page, token)).status_code == 302
    summary = client.get(f"/demarches/{item.slug}/groupe/{group_page.id}").get_data(as_text=True)
    assert summary.count("Supprimer") >= 2
    removed = client.post(f"/demarches/{item.slug}/groupe/{group_page.id}/2/supprimer", data={"csrf_token": token})
    assert removed.status_code == 302
    summary = client.get(f"/demarches/{item.slug}/groupe/{group_page.id}").get_data(as_text=True)
    assert summary.count('class="element"') == 1
    assert client.post(f"/demarches/{item.slug}/etape/{group_page.id}/9", data=page_data(group_page, token)).status_code == 400


NAMES = ["Alice", "Bruno", "Chloé", "David"]


@pytest.mark.parametrize("count, removed", [(3, 2), (3, 1), (3, 3), (4, 2), (2, 1)])
def test_removing_a_child_moves_later_children_down_with_their_answers_and_typed_values(app, count, removed):
    client = app.test_client()
    item = demarche(app, "inscription-cantine")
    group_page = next(page for page in item.pages if page.repeat)
    start(client, item)
    base = f"/demarches/{item.slug}/etape/{group_page.id}"
    token = token_of(client.get(f"{base}/1").get_data(as_text=True))
    for number, name in enumerate(NAMES[:count], start=1):
        answers = {**page_data(group_page, token), "prenom_enfant": name}
        assert client.post(f"{base}/{number}", data=answers).status_code == 302
    for number, name in enumerate(NAMES[:count], start=1):  # typed on each child, not sent: kept as typed
        typed_answers = {**page_data(group_page, token), "prenom_enfant": f"{name} (en cours)", "action": "enregistrer"}
        assert client.post(f"{base}/{number}", data=typed_answers).status_code == 302
    response = client.post(f"/demarches/{item.slug}/groupe/{group_page.id}/{removed}/supprimer",
                           data={"csrf_token": token})
    assert response.status_code == 302
    expected = [name for number, name in enumerate(NAMES[:count], start=1) if number != removed]
    with app.app_context():
        draft = db.session().get(Draft, client.get_cookie(f"brouillon-{item.slug}").value)
        assert [child["prenom_enfant"] for child in draft.answers[group_page.repeat.id]] == expected
    for number, name in enumerate(expected, start=1):
        html = client.get(f"{base}/{number}").get_data(as_text=True)
        assert f'value="{name} (en cours)"' in html, f"child {number} shows another child's typed answer"
    assert 'value=""' in client.get(f"{base}/{count}").get_data(as_text=True).split('name="prenom_enfant"')[1][:10], \
        "the freed number starts empty"


def test_removing_an_item_deletes_its_own_files_and_moves_later_files_down(app):
    """No démarche of the site has a file in a repeated page yet; the engine allows it, so this is checked
    on a draft built here: the removed item's upload is deleted, a later item's upload is renumbered."""
    import secrets
    from guichet.citizen.views.demarches import _files_for, _renumber_files
    from guichet.demarches import drafts
    from guichet.demarches.definitions import Page, Question, Repeat
    with app.test_request_context():
        session = db.session()
        draft = drafts.create(session, "exemple", "1")
        stored = [StoredFile(question="piece", item=number, original_name=f"piece{number}.pdf",
                             stored_name=secrets.token_hex(16), mimetype="application/pdf", size=10)
                  for number in (1, 2, 3)]
        draft.files.extend(stored)
        session.flush()
        items = [{"piece": [file.id]} for file in stored]
        removed = items.pop(1)
        draft.answers = {"pieces": items}
        _renumber_files(draft, removed, 2)
        session.flush()
        assert [(file.original_name, file.item) for file in draft.files] == [("piece1.pdf", 1), ("piece3.pdf", 2)]
        assert session.get(StoredFile, stored[1].id) is None
        question = Question("piece", "file", "Une pièce ?", None, False, None, None, None, (), False, False)
        page = Page("pieces", None, (question,), None, Repeat("pieces", "Pièce", "Ajouter", 0, 5))
        assert [file.original_name for file in _files_for(draft, page, 2)["piece"]] == ["piece3.pdf"]
        session.rollback()


def _walk_to_file_page(client, item):
    from a11y.walker import STEP_RE
    response = start(client, item)
    while True:
        location = response.headers["Location"]
        page_id = STEP_RE.search(location).group(1)
        page = next(page for page in item.pages if page.id == page_id)
        html = client.get(location).get_data(as_text=True)
        if any(question.type == "file" for question in page.questions):
            return location, page, token_of(html)
        response = client.post(location, data=page_data(page, token_of(html)))


def test_upload_checks_type_by_content_and_keeps_answers(app):
    client = app.test_client()
    item = demarche(app, "signaler-probleme-voie-publique")
    location, page, token = _walk_to_file_page(client, item)
    question = next(question for question in page.questions if question.type == "file")
    fake = client.post(location, data={"csrf_token": token, question.id: (io.BytesIO(b"MZ not an image"), "photo.png")},
                       content_type="multipart/form-data")
    assert fake.status_code == 400
    assert "Ce type de fichier n&#39;est pas accepté" in fake.get_data(as_text=True)
    big = b"\x89PNG\r\n\x1a\n" + b"0" * (question.validation.max_bytes + 10)
    too_big = client.post(location, data={"csrf_token": token, question.id: (io.BytesIO(big), "grande.png")},
                          content_type="multipart/form-data")
    assert too_big.status_code == 400 and "trop lourd" in too_big.get_data(as_text=True)
    files_before = count(app, StoredFile)
    good = client.post(location, data={"csrf_token": token, question.id: (io.BytesIO(small_png()), "trou.png")},
                       content_type="multipart/form-data")
    assert good.status_code == 302
    assert count(app, StoredFile) == files_before + 1
    with app.app_context():
        stored = db.session().scalars(select(StoredFile).order_by(StoredFile.id.desc())).first()
        assert stored.stored_name != "trou.png" and stored.mimetype == "image/png"
        assert (app.config["UPLOAD_DIR"] and stored.stored_name.endswith(".png"))


def test_erase_deletes_draft_and_cookie(app):
    client = app.test_client()
    item = demarche(app, "changement-adresse")
    location = start(client, item).headers["Location"]
    token = token_of(client.get(location).get_data(as_text=True))
    drafts_before = count(app, Draft)
    response = client.post(f"/demarches/{item.slug}/effacer", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"].endswith("/efface")
    assert client.get_cookie("brouillon-changement-adresse") is None
    assert count(app, Draft) == drafts_before - 1
    assert "Vos réponses sont effacées" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_idle_draft_expires_without_code_and_resumes_with_code(app):
    client = app.test_client()
    item = demarche(app, "changement-adresse")
    location = start(client, item, shared=True).headers["Location"]
    page = item.pages[0]
    token = token_of(client.get(location).get_data(as_text=True))
    saved = client.post(location, data={**page_data(page, token), "action": "enregistrer"})
    assert saved.headers["Location"].endswith("/enregistrer")
    html = client.get(saved.headers["Location"]).get_data(as_text=True)
    code = re.search(r'class="code-reprise" lang="fr">([A-Z0-9-]+)<', html).group(1)
    _age_drafts(app, minutes=app.config["DRAFT_IDLE_MINUTES"] + 1)
    expired = client.get(location)
    assert expired.status_code == 302 and "/expire?code=oui" in expired.headers["Location"]
    assert "Reprendre avec mon code" in client.get(expired.headers["Location"]).get_data(as_text=True)
    resume_page = client.get("/reprendre").get_data(as_text=True)
    bad = client.post("/reprendre", data={"csrf_token": token_of(resume_page), "code": "AAAA-AAAA"})
    assert bad.status_code == 400
    good = client.post("/reprendre", data={"csrf_token": token_of(resume_page), "code": code.lower()})
    assert good.status_code == 302 and f"/demarches/{item.slug}/" in good.headers["Location"]
    assert 'value="12 rue des Lilas"' in client.get(location).get_data(as_text=True)


def test_idle_draft_without_code_is_erased(app):
    client = app.test_client()
    item = demarche(app, "changement-adresse")
    location = start(client, item, shared=True).headers["Location"]
    assert client.get_cookie(f"brouillon-{item.slug}").expires is None, "on a shared computer the cookie ends with the browser"
    _age_drafts(app, minutes=app.config["DRAFT_IDLE_MINUTES"] + 1)
    response = client.get(location)
    assert "/expire" in response.headers["Location"] and "code=oui" not in response.headers["Location"]
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "vos réponses sont effacées" in html
    assert "rien fait" not in html and "ordinateur partagé" in html


def test_on_a_personal_device_idle_time_never_takes_answers_away(app):
    client = app.test_client()
    item = demarche(app, "changement-adresse")
    location = start(client, item).headers["Location"]
    cookie = client.get_cookie(f"brouillon-{item.slug}")
    assert cookie.expires is not None, "on the person's own device the draft survives closing the browser"
    page = item.pages[0]
    html = client.get(location).get_data(as_text=True)
    assert "Nous gardons vos réponses sur cet appareil jusqu" in html and "alerte-delai" not in html
    _age_drafts(app, minutes=app.config["DRAFT_IDLE_MINUTES"] * 10)
    with app.app_context():
        from guichet.demarches import drafts
        drafts.purge(db.session())
        db.session().commit()
    again = client.get(location)
    assert again.status_code == 200, "the same browser simply continues"
    saved = client.post(location, data=page_data(page, token_of(again.get_data(as_text=True))))
    assert saved.status_code == 302 and "/expire" not in saved.headers["Location"]
    assert client.get(f"/demarches/{item.slug}/delai").get_data(as_text=True) == ""


def test_after_its_lifetime_a_draft_is_gone_and_the_page_says_so_neutrally(app):
    client = app.test_client()
    item = demarche(app, "changement-adresse")
    location = start(client, item).headers["Location"]
    with app.app_context():
        from guichet.db import utcnow
        draft = db.session().get(Draft, client.get_cookie(f"brouillon-{item.slug}").value)
        draft.expires_at = utcnow() - timedelta(minutes=1)
        db.session().commit()
    response = client.get(location)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/demarches/{item.slug}/expire")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Nous ne trouvons plus vos réponses" in html and "Reprendre avec mon code" in html
    assert "rien fait" not in html


def test_a_help_point_makes_shared_computer_the_default(app):
    client = app.test_client()
    item = demarche(app, "changement-adresse")
    checkbox = re.compile(r'<input type="checkbox" id="shared" name="shared" value="y"( checked)?')
    assert checkbox.search(client.get(f"/demarches/{item.slug}").get_data(as_text=True)).group(1) is None
    client.get("/?poste=accueil")
    assert client.get_cookie("poste").value == "accueil"
    assert checkbox.search(client.get(f"/demarches/{item.slug}").get_data(as_text=True)).group(1) == " checked"
    client.get("/?poste=personnel")
    assert client.get_cookie("poste") is None
    assert checkbox.search(client.get(f"/demarches/{item.slug}").get_data(as_text=True)).group(1) is None


def test_resuming_with_a_code_at_a_help_point_makes_the_draft_shared(app):
    client = app.test_client()
    item = demarche(app, "changement-adresse")
    location = start(client, item).headers["Location"]
    saved = client.post(location, data={"csrf_token": token_of(client.get(location).get_data(as_text=True)),
                                         "action": "enregistrer"})
    code = re.search(r'class="code-reprise" lang="fr">([A-Z0-9-]+)<',
                     client.get(saved.headers["Location"]).get_data(as_text=True)).group(1)
    library = app.test_client()
    library.get("/?poste=accueil")
    resume_page = library.get("/reprendre").get_data(as_text=True)
    assert library.post("/reprendre", data={"csrf_token": token_of(resume_page), "code": code}).status_code == 302
    assert library.get_cookie(f"brouillon-{item.slug}").expires is None
    with app.app_context():
        assert db.session().scalar(select(Draft).where(Draft.resume_code == code.replace("-", ""))).shared


def test_erasing_asks_first_then_erases(app):
    client = app.test_client()
    item = demarche(app, "changement-adresse")
    location = start(client, item).headers["Location"]
    step_html = client.get(location).get_data(as_text=True)
    assert f'href="/demarches/{item.slug}/effacer"' in step_html
    assert "bouton--avertissement" not in step_html, "no red button next to the step's buttons"
    drafts_before = count(app, Draft)
    confirm = client.get(f"/demarches/{item.slug}/effacer")
    html = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and confirm.headers["Cache-Control"] == "no-store"
    assert "Voulez-vous vraiment effacer vos réponses ?" in html
    assert "Oui, effacer mes réponses" in html and f'href="{location.split("localhost")[-1]}"' in html
    assert count(app, Draft) == drafts_before, "showing the question erases nothing"
    response = client.post(f"/demarches/{item.slug}/effacer", data={"csrf_token": token_of(html)})
    assert response.status_code == 302 and response.headers["Location"].endswith("/efface")
    assert count(app, Draft) == drafts_before - 1
    without_draft = client.get(f"/demarches/{item.slug}/effacer")
    assert without_draft.status_code == 302 and without_draft.headers["Location"].endswith(f"/demarches/{item.slug}")


def test_enter_in_a_report_field_sends_the_report_not_the_step(app):
    """Enter in a report field submits the step form with its default button: it must send the report."""
    from guichet.feedback.models import Report
    client = app.test_client()
    item = demarche(app, "changement-adresse")
    location = start(client, item).headers["Location"]
    path = location.split("localhost")[-1]
    html = client.get(location).get_data(as_text=True)
    page = item.pages[0]
    reports_before = count(app, Report)
    sent = {**page_data(page, token_of(html)), "action": "continuer", "signalement-csrf_token": token_of(html),
            "signalement-page": path, "signalement-category": "comprendre", "signalement-email": "a@exemple.fr"}
    response = client.post(location, data=sent)
    # 307: the browser sends the same POST to the report view
    assert response.status_code == 307 and response.headers["Location"] == "/signalements"
    response = client.post("/signalements", data=sent)
    assert response.status_code == 302 and response.headers["Location"] == path + "#signaler"
    assert count(app, Report) == reports_before + 1
    with app.app_context():
        draft = db.session().get(Draft, client.get_cookie(f"brouillon-{item.slug}").value)
        assert page.questions[0].id not in draft.answers, "the step is not submitted"
    again = client.get(path).get_data(as_text=True)
    assert 'value="12 rue des Lilas"' in again and "Merci, votre signalement est envoyé" in again
    untouched = client.post(location, data={**page_data(page, token_of(again)), "action": "continuer",
                                            "signalement-page": path})
    assert untouched.status_code == 302 and "/etape/" in untouched.headers["Location"]
    assert untouched.headers["Location"] != path + "#signaler" and count(app, Report) == reports_before + 1


def _age_drafts(app, minutes):
    from guichet.db import utcnow
    with app.app_context():
        session = db.session()
        for draft in session.scalars(select(Draft).where(Draft.request_id.is_(None))):
            draft.last_seen_at = utcnow() - timedelta(minutes=minutes)
        session.commit()


def test_difficulty_report_from_a_step_keeps_typed_answers(app):
    client = app.test_client()
    item = demarche(app, "changement-adresse")
    location = start(client, item).headers["Location"]
    html = client.get(location).get_data(as_text=True)
    assert 'formaction="/signalements"' in html and 'form="etape-formulaire"' in html
    path = location.split("localhost")[-1]
    response = client.post("/signalements", data={
        "csrf_token": token_of(html), "nouvelle_adresse-ligne1": "8 impasse des Roses",
        "signalement-csrf_token": token_of(html), "signalement-page": path,
        "signalement-category": "comprendre", "action": "signaler"})
    assert response.status_code == 302 and response.headers["Location"] == path + "#signaler"
    again = client.get(path).get_data(as_text=True)
    assert 'value="8 impasse des Roses"' in again
    assert "Merci, votre signalement est envoyé" in again


def test_funnel_events_are_recorded_without_personal_data(app):
    client = app.test_client()
    item = demarche(app, "changement-adresse")
    location = start(client, item).headers["Location"]
    token = token_of(client.get(location).get_data(as_text=True))
    client.post(location, data={"csrf_token": token})
    with app.app_context():
        events = db.session().scalars(select(FunnelEvent).where(FunnelEvent.demarche == item.slug)
                                      .order_by(FunnelEvent.id.desc())).all()
    kinds = {event.event for event in events}
    assert {"viewed", "error"} <= kinds
    error = next(event for event in events if event.event == "error")
    assert error.fields == [item.pages[0].questions[0].id]


def test_tracking_timeline_rectification_and_neutral_errors(app):
    client = app.test_client()
    item = demarche(app, "inscription-cantine")
    receipt = client.get(submit(client, item, walk_to_check(client, item)).headers["Location"]).get_data(as_text=True)
    reference = re.search(r"(ADM-\d{4}-\d{6})", receipt).group(1)
    secret = re.search(r'class="gros-code">([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})<', receipt).group(1)
    other = app.test_client()
    page = other.get("/suivi").get_data(as_text=True)
    wrong_secret = other.post("/suivi", data={"csrf_token": token_of(page), "reference": reference, "secret": "AAAA-AAAA-AAAA"})
    wrong_reference = other.post("/suivi", data={"csrf_token": token_of(page), "reference": "ADM-1999-000001",
                                                 "secret": secret})
    assert wrong_secret.status_code == wrong_reference.status_code == 400
    neutral = "Nous ne trouvons pas de demande avec ce numéro et ce code de suivi."
    assert neutral in wrong_secret.get_data(as_text=True) and neutral in wrong_reference.get_data(as_text=True)
    bookmarked = other.get(f"/suivi/{reference}")  # no access yet: the lookup form, never the request
    assert bookmarked.status_code == 200 and "Corriger ma demande" not in bookmarked.get_data(as_text=True)
    found = other.post("/suivi", data={"csrf_token": token_of(page), "reference": reference.lower(),
                                       "secret": secret.lower().replace("-", " ")})
    assert found.status_code == 302
    tracking = other.get(found.headers["Location"])
    html = tracking.get_data(as_text=True)
    assert tracking.headers["Cache-Control"] == "no-store"
    assert "Reçue" in html and "Corriger ma demande" in html
    corrected = other.post(f"/suivi/{reference}/corriger", data={"csrf_token": token_of(html)})
    assert corrected.status_code == 302
    check = other.get(f"/demarches/{item.slug}/verifier").get_data(as_text=True)
    assert "Vous corrigez une demande" in check
    done = other.post(f"/demarches/{item.slug}/verifier", data={"csrf_token": token_of(check), "declaration": "y"})
    assert done.status_code == 302
    with app.app_context():
        row = db.session().scalar(select(DemarcheRequest).where(DemarcheRequest.reference == reference))
        assert row.version == 2 and len(row.versions) == 2
    result = app.test_cli_runner().invoke(args=["requests", "set-status", reference, "en_instruction"])
    assert result.exit_code == 0, result.output
    html = other.get(f"/suivi/{reference}").get_data(as_text=True)
    assert "En cours de traitement" in html and "Corriger ma demande" not in html
    assert other.post(f"/suivi/{reference}/corriger", data={"csrf_token": token_of(html)}).status_code == 400


def test_tracking_is_rate_limited(app):
    client = app.test_client()
    page = client.get("/suivi").get_data(as_text=True)
    app.config["RATE_LIMIT_TRACKING"] = (3, 600)
    try:
        statuses = [client.post("/suivi", data={"csrf_token": token_of(page), "reference": "ADM-2026-999999",
                                                "secret": "AAAA"}, environ_base={"REMOTE_ADDR": "192.0.2.9"}).status_code
                    for _ in range(4)]
    finally:
        app.config["RATE_LIMIT_TRACKING"] = (10_000, 600)
    assert statuses == [400, 400, 400, 429]


def test_receipt_email_is_queued_in_the_same_transaction(app):
    client = app.test_client()
    item = demarche(app, "demande-acte-etat-civil")
    before = count(app, OutboxMessage)
    submit(client, item, walk_to_check(client, item))
    assert count(app, OutboxMessage) == before + 1
    with app.app_context():
        message = db.session().scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    assert message.recipient == "marie.dupont@example.fr"
    assert "Date de réception : le " in message.body
    assert item.service.designation in message.body
    written = app.config["SETTINGS"]["written_contact"]
    assert "Vous êtes sourd ou malentendant, ou vous ne pouvez pas téléphoner ? Écrivez-nous :" in message.body
    assert f"SMS : {written['sms']}\nE-mail : {written['email']}\n{written['relay']}\n" in message.body


def test_htmx_checks_a_changed_field_without_saving(app):
    client = app.test_client()
    item = demarche(app, "changement-adresse")
    location = start(client, item).headers["Location"]
    html = client.get(location).get_data(as_text=True)
    question = item.pages[0].questions[0]
    # Each field checks itself (htmx names the changed field); the form itself sends nothing on change.
    assert (f'name="{question.id}-code_postal" value="" autocomplete="postal-code" inputmode="numeric" '
            f'data-hx-post="{location}/verifier-champ" data-hx-trigger="change" '
            f'data-hx-target="#{question.id}-erreurs" data-hx-swap="outerHTML" '
            f'data-hx-sync="#{question.id}-erreurs:replace"') in html
    assert 'id="etape-formulaire" class="etape__formulaire" method="post" action="' in html
    assert "verifier-champ" not in html.split('id="etape-formulaire"')[1].split(">")[0]
    response = client.post(location + "/verifier-champ", data={
        "csrf_token": token_of(html), f"{question.id}-ligne1": "1 rue Haute", f"{question.id}-code_postal": "12",
        f"{question.id}-commune": "Admiville"},
        headers={"HX-Request": "true", "HX-Trigger-Name": f"{question.id}-code_postal"})
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in fragment
    assert fragment.strip().startswith(f'<div class="erreurs" id="{question.id}-erreurs" aria-live="polite">')
    assert "5 chiffres" in fragment
    with app.app_context():
        draft = db.session().get(Draft, client.get_cookie(f"brouillon-{item.slug}").value)
        assert question.id not in draft.answers


def test_receipt_and_tracking_pages_close_after_the_idle_limit(app, monkeypatch):
    import time as time_module
    client = app.test_client()
    item = demarche(app, "changement-adresse")
    receipt_url = submit(client, item, walk_to_check(client, item, shared=True)).headers["Location"]
    assert client.get(receipt_url).status_code == 200
    later = time_module.time() + app.config["DRAFT_IDLE_MINUTES"] * 60 + 5
    monkeypatch.setattr("guichet.web.personal.time.time", lambda: later)
    response = client.get(receipt_url)
    assert response.status_code == 302 and response.headers["Location"].endswith("/suivi")


def test_on_a_personal_device_the_receipt_stays_open_for_a_day(app, monkeypatch):
    import time as time_module
    client = app.test_client()
    item = demarche(app, "changement-adresse")
    receipt_url = submit(client, item, walk_to_check(client, item)).headers["Location"]
    now = time_module.time()
    monkeypatch.setattr("guichet.web.personal.time.time", lambda: now + app.config["DRAFT_IDLE_MINUTES"] * 60 + 5)
    assert client.get(receipt_url).status_code == 200
    monkeypatch.setattr("guichet.web.personal.time.time", lambda: now + 24 * 3600 + 5)
    response = client.get(receipt_url)
    assert response.status_code == 302 and response.headers["Location"].endswith("/suivi")


def test_start_page_offers_to_continue_a_draft_in_progress(app):
    client = app.test_client()
    item = demarche(app, "changement-adresse")
    assert "Continuer là où vous en étiez" not in client.get(f"/demarches/{item.slug}").get_data(as_text=True)
    start(client, item)
    html = client.get(f"/demarches/{item.slug}").get_data(as_text=True)
    assert "Continuer là où vous en étiez" in html
    response = client.get(f"/demarches/{item.slug}/verifier")
    assert response.status_code == 302 and "/etape/" in response.headers["Location"]


def _page_before_follow_up(app, slug, page_id):
    item = demarche(app, slug)
    client = app.test_client()
    from a11y.walker import STEP_RE
    response = start(client, item)
    while True:
        location = response.headers["Location"]
        shown = client.get(location)
        if shown.status_code == 302:
            response = shown
            continue
        current = STEP_RE.search(location).group(1)
        if current == page_id:
            return client, item, location, token_of(shown.get_data(as_text=True))
        page = next(page for page in flow.all_pages(item) if page.id == current)
        response = client.post(location, data=page_data(page, token_of(shown.get_data(as_text=True))))


def test_htmx_reveals_follow_up_questions_in_place_and_saves_them_together(app):
    client, item, location, token = _page_before_follow_up(app, "changement-adresse", "deja_habitant")
    html = client.get(location).get_data(as_text=True)
    assert 'id="suite-deja_habitant"' in html and f'data-hx-post="{location.split("localhost")[-1]}/suite"' in html
    fragment = client.post(location + "/suite", data={"csrf_token": token, "deja_habitant": "oui"},
                           headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'name="suite" value="ancienne_adresse"' in fragment and "ancienne_adresse-ligne1" in fragment
    assert "Une question s&#39;ajoute" in fragment or "Une question s'ajoute" in fragment
    closed = client.post(location + "/suite", data={"csrf_token": token, "deja_habitant": "non"},
                         headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'name="suite"' not in closed
    missing = client.post(location, data={"csrf_token": token, "deja_habitant": "oui", "suite": "ancienne_adresse"})
    assert missing.status_code == 400 and 'href="#ancienne_adresse"' in missing.get_data(as_text=True)
    done = client.post(location, data={"csrf_token": token, "deja_habitant": "oui", "suite": "ancienne_adresse",
                                       "ancienne_adresse-ligne1": "2 rue Basse", "ancienne_adresse-code_postal": "99100",
                                       "ancienne_adresse-commune": "Admiville"})
    assert done.status_code == 302 and "/etape/ancienne_adresse" not in done.headers["Location"]
    with app.app_context():
        draft = db.session().get(Draft, client.get_cookie(f"brouillon-{item.slug}").value)
        assert draft.answers["ancienne_adresse"]["ligne1"] == "2 rue Basse"


def test_without_js_the_follow_up_is_its_own_page(app):
    client, item, location, token = _page_before_follow_up(app, "changement-adresse", "deja_habitant")
    response = client.post(location, data={"csrf_token": token, "deja_habitant": "oui"})
    assert response.headers["Location"].endswith("/etape/ancienne_adresse")


def test_typed_answers_survive_a_report_and_every_reload_until_the_step_is_sent(app):
    client = app.test_client()
    item = demarche(app, "changement-adresse")
    location = start(client, item).headers["Location"]
    path = location.split("localhost")[-1]
    html = client.get(path).get_data(as_text=True)
    client.post("/signalements", data={
        "csrf_token": token_of(html), "nouvelle_adresse-ligne1": "8 impasse des Roses",
        "nouvelle_adresse-commune": "Admiville", "signalement-csrf_token": token_of(html),
        "signalement-page": path, "signalement-category": "comprendre", "action": "signaler"})
    for _ in range(2):
        assert 'value="8 impasse des Roses"' in client.get(path).get_data(as_text=True)
    sent = client.post(path, data={**page_data(item.pages[0], token_of(html))})
    assert sent.status_code == 302
    with app.app_context():
        draft = db.session().get(Draft, client.get_cookie(f"brouillon-{item.slug}").value)
        assert "_saisie" not in draft.answers
    assert 'value="12 rue des Lilas"' in client.get(path).get_data(as_text=True)


def test_a_decimal_answer_reads_the_french_way_in_the_form_the_check_page_and_the_receipt(app):
    client = app.test_client()
    item = demarche(app, "occupation-domaine-public")
    check_html = walk_to_check(client, item)
    path = f"/demarches/{item.slug}/etape/longueur"
    token = token_of(client.get(path).get_data(as_text=True))
    response = client.post(path + "?retour=verifier", data={"csrf_token": token, "longueur": "2,5"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/verifier")
    with app.app_context():
        assert db.session().get(Draft, client.get_cookie(f"brouillon-{item.slug}").value).answers["longueur"] == "2.5"
    assert 'name="longueur" value="2,5"' in client.get(path).get_data(as_text=True)
    check_html = client.get(f"/demarches/{item.slug}/verifier").get_data(as_text=True)
    row = check_html[check_html.index("Sur combien de mètres"):]
    assert re.match(r"[^<]*</dt>\s*<dd[^>]*>\s*2,5\s*</dd>", row), row[:300]
    assert "2.5" not in check_html
    receipt = client.get(submit(client, item, check_html).headers["Location"]).get_data(as_text=True)
    assert re.search(r"Sur combien de mètres[^<]*</dt>\s*<dd[^>]*>\s*2,5\s*</dd>", receipt)


W3M = {"User-Agent": "w3m/0.5.3+git20230121"}


def test_in_a_text_browser_a_step_reports_through_its_own_button_and_keeps_what_was_typed(app):
    """A text browser shows no report form on a step (it would show every field in full): the step form's
    own "Signaler une difficulté" button keeps the typed answers and opens the report page about the step."""
    client = app.test_client()
    item = demarche(app, "changement-adresse")
    path = start(client, item).headers["Location"].split("localhost")[-1]
    html = client.get(path, headers=W3M).get_data(as_text=True)
    assert 'signalement-category' not in html and 'id="signaler-depliant"' not in html
    form = html[html.index('id="etape-formulaire"'):html.index("</form>", html.index('id="etape-formulaire"'))]
    assert 'name="action" value="signaler" formnovalidate>Signaler une difficulté</button>' in form
    assert 'formnovalidate>Signaler une difficulté</button>' not in client.get(path).get_data(as_text=True), \
        "text browsers only"
    response = client.post(path, headers=W3M, data={"csrf_token": token_of(html), "action": "signaler",
                                                    "nouvelle_adresse-ligne1": "8 impasse des Roses",
                                                    "nouvelle_adresse-code_postal": "12"})
    assert response.status_code == 302
    report_page = response.headers["Location"]
    assert report_page == f"/signalements/nouveau?page={path}"
    report_html = client.get(report_page, headers=W3M).get_data(as_text=True)
    assert f'name="signalement-page" value="{path}"' in report_html and f'href="{path}"' in report_html
    assert 'value="8 impasse des Roses"' in client.get(path, headers=W3M).get_data(as_text=True), "back: kept"
    sent = client.post("/signalements", headers=W3M, data={
        "signalement-csrf_token": token_of(report_html), "signalement-page": path,
        "signalement-category": "comprendre"})
    assert sent.headers["Location"] == path + "#signaler"
    again = client.get(path, headers=W3M).get_data(as_text=True)
    assert "Merci, votre signalement est envoyé" in again
    assert 'value="8 impasse des Roses"' in again and 'value="12"' in again, "the report did not erase them"
    with app.app_context():
        draft = db.session().get(Draft, client.get_cookie(f"brouillon-{item.slug}").value)
        assert "nouvelle_adresse" not in draft.answers, "nothing unchecked became an answer"


def test_check_page_is_a_summary_list_grouped_by_section_with_named_change_links(app):
    client = app.test_client()
    item = demarche(app, "inscription-cantine")
    html = walk_to_check(client, item)
    assert html.count('<dl class="resume">') >= 3
    headings = re.findall(r'<h2 class="resume__titre"[^>]*>([^<]+)</h2>', html)
    assert headings[0] == "Enfant 1" and "Votre demande" in headings and headings[-1] == "Vos coordonnées"
    rows = html.count('class="resume__ligne"')
    assert html.count(">Modifier<span class=\"visuellement-cache\"> la réponse à « ") == rows
    assert "Modifier<span class=\"visuellement-cache\"> la réponse à « Quel est son prénom ? », Enfant 1</span>" in html
    assert f'href="/demarches/{item.slug}/etape/allergie?retour=verifier"' in html


def test_receipt_has_a_confirmation_panel_next_steps_answers_and_a_print_button(app):
    client = app.test_client()
    item = demarche(app, "inscription-cantine")
    html = client.get(submit(client, item, walk_to_check(client, item)).headers["Location"]).get_data(as_text=True)
    html = html.replace("&#39;", "'")
    panel = html[html.index('<div class="confirmation">'):html.index("</div>", html.index('class="confirmation"'))]
    assert re.search(r'class="gros-code">ADM-\d{4}-\d{6}<', panel)
    assert re.search(r'class="gros-code">[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}<', panel)
    expected = add_months(date.today(), item.legal.duration_months)
    from babel.dates import format_date
    assert f"Il a 2 mois pour vous répondre, jusqu'au {format_date(expected, 'long', locale='fr')}." in html
    assert '<p class="imprimer" data-imprimer="Imprimer l\'accusé de réception"></p>' in html
    assert html.count("Imprimer l'accusé") == 1 and "<button" not in html.split("imprimer")[1][:80]  # no dead button
    assert re.search(r'<script src="/static/[0-9a-f]+/js/imprimer.js" defer></script>', html)
    assert "onclick" not in html
    assert "Ce que vous avez envoyé" in html and "Enfant 1" in html and "Modifier" not in html
    declaration = client.get(submit(client, demarche(app, "changement-adresse"),
                                    walk_to_check(client, demarche(app, "changement-adresse"))).headers["Location"])
    assert "La mairie enregistre votre nouvelle adresse en général en 1 semaine." in declaration.get_data(as_text=True)


def test_print_script_and_print_styles_are_served(client):
    html = client.get("/").get_data(as_text=True)
    css_url = re.search(r'href="(/static/[0-9a-f]+/css/site.css)"', html).group(1)
    css = client.get(css_url).get_data(as_text=True)
    print_rules = css[css.index("@media print"):]
    assert ".bouton" in print_rules and ".signaler" in print_rules and ".resume__action { display: none; }" in print_rules
    script = client.get("/static/0/js/imprimer.js")
    assert script.status_code == 200 and "window.print()" in script.get_data(as_text=True)
    assert 'createElement("button")' in script.get_data(as_text=True)


def test_tracking_page_shows_the_answers_sent(app):
    client = app.test_client()
    item = demarche(app, "changement-adresse")
    receipt = client.get(submit(client, item, walk_to_check(client, item)).headers["Location"]).get_data(as_text=True)
    reference = re.search(r"ADM-\d{4}-\d{6}", receipt).group(0)
    secret = re.search(r'class="gros-code">([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})<', receipt).group(1)
    page = client.get("/suivi").get_data(as_text=True)
    found = client.post("/suivi", data={"csrf_token": token_of(page), "reference": reference, "secret": secret})
    html = client.get(found.headers["Location"]).get_data(as_text=True)
    assert "Vos réponses" in html and '<dl class="resume">' in html and "12 rue des Lilas" in html


def test_identity_address_is_proposed_from_the_new_address_and_can_be_changed(app):
    client, item, location, token = _page_before_follow_up(app, "changement-adresse", "identite_adresse")
    html = client.get(location).get_data(as_text=True)
    assert 'name="identite_adresse-ligne1" value="12 rue des Lilas"' in html
    assert "Nous avons repris votre réponse à la question « Quelle est votre nouvelle adresse ? »" in html
    assert 'aria-describedby="identite_adresse-aide"' in html
    changed = client.post(location, data={"csrf_token": token, "identite_adresse-ligne1": "4 rue Basse",
                                          "identite_adresse-code_postal": "99100", "identite_adresse-commune": "Admiville"})
    assert changed.status_code == 302
    with app.app_context():
        draft = db.session().get(Draft, client.get_cookie(f"brouillon-{item.slug}").value)
        assert draft.answers["identite_adresse"]["ligne1"] == "4 rue Basse"
        assert draft.answers["nouvelle_adresse"]["ligne1"] == "12 rue des Lilas"
    again = client.get(location).get_data(as_text=True)
    assert 'value="4 rue Basse"' in again and "Nous avons repris" not in again
