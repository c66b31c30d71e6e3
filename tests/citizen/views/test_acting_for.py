"""Acting for someone else over HTTP, JS off: a social worker, a guardian, the person following the request."""
import io
import re

from sqlalchemy import select

from a11y.walker import page_data, small_png, start, submit, token_of, walk_to_check
from guichet import db
from guichet.demarches import flow, intermediary
from guichet.demarches.catalogue import catalogue
from guichet.demarches.models import Draft
from guichet.mail.models import OutboxMessage
from guichet.requests.models import DemarcheRequest

MAILBOX = "accueil@france-services-admiville.example.fr"
SOCIAL_WORKER = {intermediary.FOR_WHOM: intermediary.SOMEONE_ELSE, intermediary.ROLE: "travailleur-social",
                 "identite_destinataire": "lieu", intermediary.HELP_POINT_EMAIL: MAILBOX}


def demarche(app, slug):
    with app.app_context():
        return catalogue().get(slug)


def latest_request(app) -> DemarcheRequest:
    with app.app_context():
        row = db.session().scalars(select(DemarcheRequest).order_by(DemarcheRequest.id.desc())).first()
        db.session().expunge(row)
        return row


def test_a_social_worker_uses_the_help_points_mailbox_and_the_person_follows_with_the_code(app):
    client = app.test_client()
    item = demarche(app, "changement-adresse")
    seen = {}
    check_html = walk_to_check(client, item, choices=SOCIAL_WORKER,
                               on_page=lambda path, response: seen.update({path: response.get_data(as_text=True)}))
    assert not any(path.endswith("/etape/identite_email") for path in seen), "the person has no email to give"
    new_address = next(html for path, html in seen.items() if path.endswith("/etape/nouvelle_adresse"))
    assert "Quelle est la nouvelle adresse de la personne ?" in new_address
    assert "Quelle est votre nouvelle adresse" not in new_address
    assert "Les coordonnées de la personne" in check_html and "La personne qui aide" in check_html
    receipt = client.get(submit(client, item, check_html).headers["Location"]).get_data(as_text=True)
    assert "Une autre personne a fait cette démarche" in receipt and "Un travailleur social" in receipt
    assert "06 12 34 56 78" in receipt and MAILBOX in receipt
    row = latest_request(app)
    assert row.email == MAILBOX and "identite_email" not in row.identity
    assert row.identity[intermediary.ROLE] == "travailleur-social"
    with app.app_context():
        sent = db.session().scalars(select(OutboxMessage).where(OutboxMessage.recipient == MAILBOX)).all()
    assert any(row.reference in message.subject and "Demande faite pour Dupont Dupont par Dupont Dupont"
               in message.body for message in sent)
    # The person, on another computer, with the reference and the code of the receipt.
    secret = re.search(r'class="gros-code">([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})<', receipt).group(1)
    person = app.test_client()
    token = token_of(person.get("/suivi").get_data(as_text=True))
    followed = person.post("/suivi", data={"csrf_token": token, "reference": row.reference, "secret": secret})
    tracking = person.get(followed.headers["Location"]).get_data(as_text=True)
    assert row.reference in tracking and "Une autre personne a fait cette démarche" in tracking
    assert "Un travailleur social" in tracking


def _to_page(client, item, page_id, choices):
    """Walk until the step `page_id` is shown; its path and HTML."""
    response = start(client, item, for_whom=None)
    for _ in range(20):
        location = response.headers["Location"]
        html = client.get(location).get_data(as_text=True)
        if location.endswith(f"/etape/{page_id}"):
            return location, html
        page = next(page for page in flow.all_pages(item) if location.endswith(f"/etape/{page.id}"))
        response = client.post(location, data=page_data(page, token_of(html), choices=choices),
                               content_type="multipart/form-data")
    raise AssertionError(f"{page_id} never shown")


def _draft_answers(app, client, slug):
    with app.app_context():
        return dict(db.session().get(Draft, client.get_cookie(f"brouillon-{slug}").value).answers)


def test_a_guardian_without_the_judgment_gets_a_clear_400_and_loses_nothing(app):
    client = app.test_client()
    item = demarche(app, "demande-acte-etat-civil")
    choices = {intermediary.FOR_WHOM: intermediary.SOMEONE_ELSE, intermediary.ROLE: intermediary.GUARDIAN}
    path, html = _to_page(client, item, intermediary.MANDATE, choices)
    before = _draft_answers(app, client, item.slug)
    refused = client.post(path, data={"csrf_token": token_of(html), "action": "continuer"},
                          content_type="multipart/form-data")
    assert refused.status_code == 400
    assert "Envoyez le jugement ou le mandat : il est obligatoire pour un tuteur ou un curateur." in \
        refused.get_data(as_text=True).replace("&#39;", "'")
    assert _draft_answers(app, client, item.slug) == before and before[intermediary.ROLE] == intermediary.GUARDIAN
    sent = client.post(path, data={"csrf_token": token_of(html), "action": "continuer",
                                   intermediary.MANDATE: (io.BytesIO(small_png()), "jugement.png")},
                       content_type="multipart/form-data")
    assert sent.status_code == 302
    assert _draft_answers(app, client, item.slug)[intermediary.MANDATE]


def test_the_agreement_must_be_ticked(app):
    client = app.test_client()
    item = demarche(app, "signaler-probleme-voie-publique")
    path, html = _to_page(client, item, intermediary.AGREEMENT, {intermediary.FOR_WHOM: intermediary.SOMEONE_ELSE})
    refused = client.post(path, data={"csrf_token": token_of(html), "action": "continuer"})
    assert refused.status_code == 400
    assert "la personne doit être d&#39;accord" in refused.get_data(as_text=True)
    assert intermediary.AGREEMENT not in _draft_answers(app, client, item.slug)


def test_for_oneself_nothing_changes_and_no_helper_is_shown(app):
    client = app.test_client()
    item = demarche(app, "changement-adresse")
    check_html = walk_to_check(client, item)
    assert "La personne qui aide" not in check_html and "Vos coordonnées" in check_html
    receipt = client.get(submit(client, item, check_html).headers["Location"]).get_data(as_text=True)
    assert "Une autre personne a fait cette démarche" not in receipt
    assert latest_request(app).email == "marie.dupont@example.fr"


def test_every_start_page_says_an_email_is_needed_and_what_to_do_without_one(app):
    client = app.test_client()
    settings = app.config["SETTINGS"]
    with app.app_context():
        slugs = [item.slug for item in catalogue().all()]
    for slug in slugs:
        html = client.get(f"/demarches/{slug}").get_data(as_text=True).replace("&#39;", "'")
        needed = html[html.index("Ce qu'il vous faut"):html.index("Ce qui se passe ensuite")]
        assert "Une adresse e-mail" in needed and "Vous n'avez pas d'adresse e-mail ?" in needed
        assert settings["phone"]["number"] in needed and settings["reception"]["address"] in needed
        assert 'href="/aide/lieux"' in needed and "le jugement ou le mandat" in needed


def test_choices_in_the_first_person_read_about_the_person(app):
    client = app.test_client()
    item = demarche(app, "demande-acte-etat-civil")
    _path, html = _to_page(client, item, "lien", {intermediary.FOR_WHOM: intermediary.SOMEONE_ELSE})
    html = html.replace("&#39;", "'")
    assert "Quel est le lien entre la personne et celle que concerne l'acte ?" in html
    assert "La personne est son enfant ou son petit-enfant" in html and "Je suis son enfant" not in html
