"""The satisfaction questionnaire: on the receipt, by the email link, by a card's code; one answer per request."""
import re
from html import unescape

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from a11y.walker import submit, walk_to_check
from guichet import db
from guichet.citizen.forms import SatisfactionForm
from guichet.demarches.catalogue import catalogue
from guichet.indicators import satisfaction
from guichet.indicators.models import SatisfactionAnswer, SatisfactionInvite
from guichet.mail.models import OutboxMessage
from guichet.requests.models import DemarcheRequest

SLUG = "demande-acte-etat-civil"


def token_of(html: str) -> str:
    return re.search(r'name="(?:[a-z]+-)?csrf_token"[^>]*value="([^"]+)"', html).group(1)


def text_of(response) -> str:
    return unescape(response.get_data(as_text=True))


def sent_request(app, client) -> tuple[str, str]:
    """Walk a démarche to its receipt; returns the receipt's HTML and the request's reference."""
    with app.app_context():
        item = catalogue().get(SLUG)
    html = client.get(submit(client, item, walk_to_check(client, item)).headers["Location"]).get_data(as_text=True)
    return html, re.search(r"ADM-\d{4}-\d{6}", html).group(0)


def answers(app) -> int:
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(SatisfactionAnswer))


def stored(app, reference):
    with app.app_context():
        return db.session().scalar(select(SatisfactionAnswer).join(
            DemarcheRequest, DemarcheRequest.id == SatisfactionAnswer.request_id).where(
            DemarcheRequest.reference == reference))


def test_receipt_page_asks_and_a_second_send_updates_the_one_answer(app):
    client = app.test_client()
    receipt, reference = sent_request(app, client)
    assert "Comment ça s'est passé ?" in unescape(receipt) and 'aria-hidden="true"' in receipt
    assert "Très bien" in receipt and "France services" in receipt
    action = f"/avis/demande/{reference}"
    assert f'action="{action}"' in receipt
    response = client.post(action, data=MultiDict({
        "satisfaction-csrf_token": token_of(receipt), "satisfaction-rating": "4", "satisfaction-clarity": "en-partie",
        "satisfaction-helpers": ["proche", "mairie"], "satisfaction-comment": "Une étape longue"}))
    assert response.status_code == 302 and response.headers["Location"].endswith(action)
    thanks = client.get(action).get_data(as_text=True)
    assert "Votre avis est enregistré" in thanks and "Modifier mon avis" in thanks
    answer = stored(app, reference)
    assert (answer.rating, answer.clarity, answer.helpers, answer.channel, answer.demarche) == (
        4, "en-partie", ["proche", "mairie"], "web", SLUG)
    before = answers(app)
    client.post(action, data={"satisfaction-csrf_token": token_of(thanks), "satisfaction-rating": "2"})
    assert answers(app) == before
    assert stored(app, reference).rating == 2 and stored(app, reference).helpers == []


def test_bad_input_gives_a_french_message_and_stores_nothing(app):
    client = app.test_client()
    receipt, reference = sent_request(app, client)
    before = answers(app)
    response = client.post(f"/avis/demande/{reference}", data=MultiDict({
        "satisfaction-csrf_token": token_of(receipt), "satisfaction-rating": "9",
        "satisfaction-helpers": ["personne", "proche"]}))
    html = text_of(response)
    assert response.status_code == 400
    assert "Choisissez comment ça s'est passé." in html and "Gardez l'une ou l'autre" in html
    assert answers(app) == before


def test_only_the_person_with_the_receipt_may_answer(app):
    owner = app.test_client()
    _receipt, reference = sent_request(app, owner)
    stranger = app.test_client()
    stranger_page = stranger.get("/suivi").get_data(as_text=True)
    before = answers(app)
    response = stranger.post(f"/avis/demande/{reference}",
                             data={"satisfaction-csrf_token": token_of(stranger_page), "satisfaction-rating": "1"})
    assert response.status_code == 403 and "n'est plus ouverte" in text_of(response)
    assert stranger.get(f"/avis/demande/{reference}").headers["Location"].endswith("/suivi")
    assert answers(app) == before


def test_the_receipt_email_link_opens_the_questionnaire_for_that_request_only(app):
    client = app.test_client()
    _receipt, reference = sent_request(app, client)
    with app.app_context():
        body = db.session().scalars(select(OutboxMessage).where(OutboxMessage.body.contains(reference))
                                    .order_by(OutboxMessage.id.desc())).first().body
    link = re.search(r"Donnez votre avis en 1 minute : (\S+)", body).group(1)
    other = app.test_client()
    response = other.get(link.split("://", 1)[1].split("/", 1)[1].join(["/", ""]))
    assert response.headers["Location"].endswith(f"/avis/demande/{reference}")
    assert "Donnez votre avis" in other.get(response.headers["Location"]).get_data(as_text=True)
    wrong = other.get(f"/suivi/lien?reference={reference}&cle=FAUX&vers=avis")
    assert wrong.headers["Location"].endswith("/suivi")


def new_card(app, channel="guichet") -> str:
    with app.app_context():
        card = satisfaction.new_invite(db.session(), channel, SLUG)
        db.session().commit()
        return card.code


def test_a_card_code_records_its_channel_once_and_then_updates(app):
    code = new_card(app, "telephone")
    client = app.test_client()
    page = client.get(f"/avis/{code.lower()}")
    assert page.status_code == 302 and page.headers["Location"].endswith(f"/avis/{code}")
    html = client.get(f"/avis/{code}").get_data(as_text=True)
    before = answers(app)
    for rating in ("5", "3"):
        response = client.post(f"/avis/{code}", data={"satisfaction-csrf_token": token_of(html), "satisfaction-rating": rating,
                                                      "satisfaction-helpers": "telephone"})
        assert response.status_code == 302
    assert answers(app) == before + 1
    with app.app_context():
        card = db.session().scalar(select(SatisfactionInvite).where(SatisfactionInvite.code == code))
        answer = db.session().get(SatisfactionAnswer, card.answer_id)
        assert (answer.rating, answer.channel, answer.request_id) == (3, "telephone", None)


def test_an_unknown_card_code_is_a_404_with_a_french_message(app):
    response = app.test_client().get("/avis/AAAAAAAA")
    assert response.status_code == 404 and "Vérifiez les 8 lettres" in response.get_data(as_text=True)
    assert app.test_client().get("/avis/%3Cscript%3E").status_code == 404


CHOICES = ["1", "2", "3", "4", "5", "0", "6", "", "oui", "x" * 30]
CLARITY = ["oui", "en-partie", "non", "", "peut-être"]
HELPERS = list(satisfaction.HELPERS) + ["voisin", ""]


@settings(max_examples=150, deadline=None)
@given(rating=st.sampled_from(CHOICES) | st.text(max_size=5), clarity=st.sampled_from(CLARITY),
       helpers=st.lists(st.sampled_from(HELPERS), max_size=4), comment=st.text(max_size=1100))
def test_the_form_accepts_exactly_the_offered_answers(app, rating, clarity, helpers, comment):
    data = MultiDict([("satisfaction-rating", rating), ("satisfaction-clarity", clarity),
                      ("satisfaction-comment", comment)] + [("satisfaction-helpers", value) for value in helpers])
    with app.test_request_context("/", method="POST", data=data):
        form = SatisfactionForm(meta={"csrf": False})
        valid = form.validate()
    expected = (rating in {"1", "2", "3", "4", "5"} and clarity in {"oui", "en-partie", "non", ""}
                and all(value in satisfaction.HELPERS for value in helpers)
                and not ("personne" in helpers and len(helpers) > 1)
                and len(comment.strip() and comment or "") <= satisfaction.COMMENT_MAX)
    assert valid == expected, form.errors
    if not valid:
        assert all(isinstance(str(message), str) and str(message) for messages in form.errors.values()
                   for message in messages)
