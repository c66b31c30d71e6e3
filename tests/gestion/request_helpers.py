"""Real requests for back-office tests: a citizen walks a démarche over HTTP and keeps the tracking page open."""
import re

from sqlalchemy import select

from a11y.walker import submit, walk_to_check
from guichet import db
from guichet.demarches.catalogue import catalogue
from guichet.requests.models import DemarcheRequest


def submit_request(app, slug: str = "inscription-cantine", all_files: bool = True, choices: dict | None = None):
    """(reference, citizen client already allowed on /suivi/<reference>); `choices` answers some questions."""
    citizen = app.test_client()
    with app.app_context():
        demarche = catalogue().get(slug)
    receipt = citizen.get(submit(citizen, demarche, walk_to_check(citizen, demarche, all_files=all_files,
                                                                  choices=choices))
                          .headers["Location"]).get_data(as_text=True)
    reference = re.search(r"(ADM-\d{4}-\d{6})", receipt).group(1)
    secret = re.search(r'class="gros-code">([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})<', receipt).group(1)
    page = citizen.get("/suivi").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    assert citizen.post("/suivi", data={"csrf_token": token, "reference": reference, "secret": secret}).status_code == 302
    return reference, citizen


def load(app, reference: str) -> DemarcheRequest:
    """The request with its collections loaded, detached for assertions."""
    with app.app_context():
        row = db.session().scalar(select(DemarcheRequest).where(DemarcheRequest.reference == reference))
        for relation in (row.messages, row.events, row.files, row.versions, row.history):
            list(relation)
        db.session().expunge(row)
        return row
