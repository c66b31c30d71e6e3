"""Walk a démarche over HTTP like a person with JS off (GET a step, POST valid answers).

Shared by the tests, the accessibility audit and the page-weight budgets.
"""
import io
import re
from datetime import date, timedelta

from PIL import Image

from guichet.demarches import flow
from guichet.demarches.definitions import Demarche, Question
from guichet.demarches.intermediary import FOR_WHOM, MYSELF

STEP_RE = re.compile(r"/demarches/[a-z0-9-]+/(?:etape|groupe)/([a-z_0-9]+)(?:/([0-9]+))?")


def small_png() -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(output, "PNG")
    return output.getvalue()


def valid_answer(question: Question, all_files: bool = False) -> dict:
    """Form fields that satisfy the question's definition (a file only when required, or `all_files`)."""
    name = question.id
    if question.type in ("radios", "yesno", "select", "checkboxes"):
        return {name: question.options[0].value}
    if question.type == "date":
        day = date.today() + (timedelta(days=10) if question.validation.date == "future" else timedelta(days=-400))
        return {f"{name}-jour": str(day.day), f"{name}-mois": str(day.month), f"{name}-annee": str(day.year)}
    if question.type == "address":
        return {f"{name}-ligne1": "12 rue des Lilas", f"{name}-ligne2": "", f"{name}-code_postal": "99100",
                f"{name}-commune": "Admiville"}
    if question.type == "email":
        return {name: "marie.dupont@example.fr"}
    if question.type == "phone":
        return {name: "06 12 34 56 78"}
    if question.type == "number":
        low = question.validation.min if question.validation.min is not None else 1
        return {name: str(int(max(low, 1)))}
    if question.type == "file":
        return {name: (io.BytesIO(small_png()), "photo.png")} if question.required or all_files else {}
    if name == "identite_siret":
        return {name: "123 456 789 00012"}
    if name == "identite_rna":
        return {name: "W991234567"}
    text = "Un texte clair pour la mairie." if question.type == "textarea" else "Dupont"
    if question.validation.pattern:
        raise AssertionError(f"no valid sample for the pattern of {name}")
    return {name: text}


def page_data(page, token: str, all_files: bool = False, choices: dict | None = None) -> dict:
    """Valid answers for a page; `choices` gives the value of some choice questions (question id → value)."""
    data = {"csrf_token": token, "action": "continuer"}
    for question in page.questions:
        data.update(valid_answer(question, all_files))
        if choices and question.id in choices:
            data[question.id] = choices[question.id]
    return data


def token_of(html: str) -> str:
    return re.search(r'name="(?:[a-z]+-)?csrf_token"[^>]*value="([^"]+)"', html).group(1)


def start(client, demarche: Demarche, shared: bool = False, for_whom: str | None = MYSELF):
    """Press "Commencer la démarche", after ticking "ordinateur partagé" when `shared`, then answer
    "pour vous ou pour une autre personne ?" with `for_whom` (None: stop on that question)."""
    html = client.get(f"/demarches/{demarche.slug}").get_data(as_text=True)
    response = client.post(f"/demarches/{demarche.slug}/commencer",
                           data={"csrf_token": token_of(html), **({"shared": "y"} if shared else {})})
    if for_whom is None or response.status_code != 302:
        return response
    location = response.headers["Location"]
    token = token_of(client.get(location).get_data(as_text=True))
    return client.post(location, data={"csrf_token": token, "action": "continuer", FOR_WHOM: for_whom})


def walk_to_check(client, demarche: Demarche, max_steps: int = 60, on_page=None, all_files: bool = False,
                  shared: bool = False, choices: dict | None = None, started=None) -> str:
    """From the start page to "Vérifiez vos réponses"; returns the check page HTML.

    `on_page(path, response)` is called with every step page shown on the way; `all_files` also
    sends a file to the optional file questions; `choices` answers some choice questions (by default,
    the first choice, and "Pour moi"); `started`: the redirect of a draft opened elsewhere (the back
    office), instead of the start page's.
    """
    choices = {FOR_WHOM: MYSELF, **(choices or {})}
    response = started or start(client, demarche, shared, for_whom=None)
    for _ in range(max_steps):
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        location = response.headers["Location"]
        if location.endswith("/verifier"):
            return client.get(location).get_data(as_text=True)
        shown = client.get(location)
        if shown.status_code == 302:
            response = shown
            continue
        if on_page:
            on_page(location, shown)
        html = shown.get_data(as_text=True)
        match = STEP_RE.search(location)
        page = next(page for page in flow.all_pages(demarche) if page.id == match.group(1))
        if "/groupe/" in location:
            response = client.post(location, data={"csrf_token": token_of(html)})
            continue
        response = client.post(location, data=page_data(page, token_of(html), all_files, choices),
                               content_type="multipart/form-data")
    raise AssertionError("the walk never reached the check page")


def submit(client, demarche: Demarche, check_html: str):
    return client.post(f"/demarches/{demarche.slug}/verifier",
                       data={"csrf_token": token_of(check_html), "declaration": "y"})
