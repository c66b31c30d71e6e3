"""The identity pages every démarche ends with, as decree 2015-1404 art. 2 requires.

An individual gives name, first name, postal and email addresses; a company its SIRET number;
an association its RNA number. `identity: any` first asks who the request is for. The pages are
built with the same dataclasses as the YAML pages, so one engine walks both.
"""
from dataclasses import replace
from functools import cache

from guichet.demarches.definitions import (
    DONT_KNOW,
    IDENTITY_PREFILL_FIELDS,
    Condition,
    Demarche,
    Option,
    Page,
    Question,
    Validation,
)

NO_LIMITS = Validation(None, None, None, None, None, None, None, (), 0)
WHO = "identite_qui"
# Who receives the receipt and the messages, when a helper acts for the person (see intermediary.py).
RECIPIENT = "identite_destinataire"
NOT_THE_PERSON = ("aidant", "lieu")


def _validation(max_length: int, pattern: str | None = None, message: str | None = None) -> Validation:
    return Validation(None, max_length, pattern, message, None, None, None, (), 0)


PHONE_VALIDATION = _validation(20, r"(?:0|\+33 ?)[1-9](?:[ .]?[0-9]{2}){4}",
                               "Écrivez un numéro de téléphone français de 10 chiffres, par exemple 06 12 34 56 78.")
EMAIL_VALIDATION = _validation(254)


def make_question(question_id: str, question_type: str, label: str, *, hint: str | None = None,
                  required: bool = True, validation: Validation = NO_LIMITS, autocomplete: str | None = None,
                  inputmode: str | None = None, options: tuple[Option, ...] = (), other_label: str | None = None,
                  other_hint: str | None = None, required_message: str | None = None) -> Question:
    """A question of the engine's own pages; `other_*` is what a helper reads about the person."""
    return Question(question_id, question_type, label, hint, required, validation, autocomplete, inputmode,
                    options, False, False, other_label, other_hint, required_message)


def _person_pages(prefix: str, when: Condition | None, heading: str) -> tuple[Page, ...]:
    name = Page(f"{prefix}nom", heading, (
        make_question(f"{prefix}nom", "text", "Nom de famille", validation=_validation(100), autocomplete="family-name"),
        make_question(f"{prefix}prenom", "text", "Prénom", validation=_validation(100), autocomplete="given-name"),
    ), when, None, other_title="Le nom de la personne")
    address = Page(f"{prefix}adresse", None, (
        make_question(f"{prefix}adresse", "address", "Quelle est votre adresse postale ?",
                      hint="Nous vous écrirons à cette adresse si besoin.",
                      other_label="Quelle est l'adresse postale de la personne ?",
                      other_hint="Le service lui écrira à cette adresse si besoin."),
    ), when, None)
    # Asked unless the receipt goes to the helper or to the help point: the person may have no address.
    email = Page(f"{prefix}email", None, (
        make_question(f"{prefix}email", "email", "Quelle est votre adresse e-mail ?",
                      hint="Nous vous envoyons l'accusé de réception à cette adresse.",
                      validation=EMAIL_VALIDATION, autocomplete="email", inputmode="email",
                      other_label="Quelle est l'adresse e-mail de la personne ?",
                      other_hint="Nous envoyons l'accusé de réception et les messages du service à cette adresse."),
    ), Condition(RECIPIENT, NOT_THE_PERSON, negate=True), None)
    phone = Page(f"{prefix}telephone", None, (
        make_question(f"{prefix}telephone", "phone", "Quel est votre numéro de téléphone ? (facultatif)",
                      hint="Seulement si vous voulez que le service puisse vous appeler.", required=False,
                      validation=PHONE_VALIDATION, autocomplete="tel", inputmode="tel",
                      other_label="Quel est le numéro de téléphone de la personne ? (facultatif)",
                      other_hint="Seulement si le service peut l'appeler."),
    ), when, None)
    return name, address, email, phone


def _company_page(when: Condition | None) -> Page:
    return Page("identite_entreprise", "Votre entreprise", (
        make_question("identite_siret", "text", "Numéro SIRET",
                      hint="14 chiffres. Il est écrit sur vos factures et sur votre extrait Kbis.",
                      validation=_validation(17, r"[0-9]{3} ?[0-9]{3} ?[0-9]{3} ?[0-9]{5}",
                                             "Écrivez les 14 chiffres du numéro SIRET, par exemple 123 456 789 00012."),
                      inputmode="numeric"),
        make_question("identite_raison_sociale", "text", "Nom de l'entreprise", validation=_validation(150),
                      autocomplete="organization"),
    ), when, None, other_title="L'entreprise")


def _association_page(when: Condition | None) -> Page:
    return Page("identite_association", "Votre association", (
        make_question("identite_rna", "text", "Numéro RNA",
                      hint="La lettre W suivie de 9 chiffres. Il est écrit sur le récépissé de la préfecture.",
                      validation=_validation(10, r"[Ww][0-9]{9}",
                                             "Écrivez le numéro RNA : la lettre W suivie de 9 chiffres, "
                                             "par exemple W991234567."),
                      autocomplete="off"),
        make_question("identite_nom_association", "text", "Nom de l'association", validation=_validation(150),
                      autocomplete="organization"),
    ), when, None, other_title="L'association")


@cache
def identity_pages(kind: str) -> tuple[Page, ...]:
    """The identity pages for `individual`, `company`, `association` or `any`."""
    person = _person_pages("identite_", None, "Votre nom")
    if kind == "individual":
        return person
    if kind == "company":
        return (_company_page(None),) + _contact(person)
    if kind == "association":
        return (_association_page(None),) + _contact(person)
    who = Page(WHO, None, (
        make_question(WHO, "radios", "Pour qui faites-vous cette demande ?", other_label="Pour qui est cette demande ?",
                      options=(Option("particulier", "Pour une personne", None),
                               Option("entreprise", "Pour une entreprise", "Vous aurez besoin de son numéro SIRET."),
                               Option("association", "Pour une association", "Vous aurez besoin de son numéro RNA."))),
    ), None, None)
    return (who, _company_page(Condition(WHO, ("entreprise",))),
            _association_page(Condition(WHO, ("association",)))) + person


def _contact(person: tuple[Page, ...]) -> tuple[Page, ...]:
    """For an organisation, the person pages ask for the contact person."""
    name, address, email, phone = person
    return (Page(name.id, "La personne à contacter", name.questions, None, None, other_title="La personne à contacter"),
            address, email, phone)


EMAIL_PAGE = "identite_email"
OPTIONAL_EMAIL_HINT = ("Facultatif pour une demande reçue par téléphone, au guichet, par courrier ou par e-mail "
                       "(décret 2015-1404, art. 2). Sans adresse, le demandeur ne reçoit rien par e-mail : "
                       "imprimez l'accusé de réception pour lui.")


def for_channel(page: Page, channel: str | None) -> Page:
    """Decree 2015-1404 art. 2 asks an email only for an electronic request made by the person: on a request an
    agent registers from another channel (`channel` set on the draft), the email page is optional."""
    return _optional_email(page) if channel and page.id == EMAIL_PAGE else page


@cache
def _optional_email(page: Page) -> Page:
    return replace(page, questions=tuple(replace(question, required=False, hint=OPTIONAL_EMAIL_HINT)
                                         for question in page.questions))


def identity_summary(answers: dict) -> dict:
    """The identity fields of a submitted request, stored apart from the other answers."""
    return {key: value for key, value in answers.items() if key.startswith("identite_")}


# --- "Dites-le-nous une fois": identity answers proposed from earlier answers -------------------

def prefilled(demarche: Demarche, answers: dict) -> dict:
    """Identity answers proposed from an earlier answer (`identity_prefill`), for those not given yet.

    Only a proposal: the question is still shown, filled in, and the person can change it.
    """
    found = {}
    for target, source in demarche.identity_prefill:
        value = answers.get(source) if source else None
        if target not in answers and value not in (None, "", [], DONT_KNOW):
            found[target] = value
    return found


def prefill_hint(demarche: Demarche, question_id: str, hint: str | None) -> str:
    """The question's hint, plus where its proposed answer comes from (read with the field)."""
    source = dict(demarche.identity_prefill)[question_id]
    said = f"Nous avons repris votre réponse à la question « {demarche.question(source).label} ». " \
           "Changez-la si besoin."
    return f"{hint} {said}" if hint else said


def unlinked_repeats(demarche: Demarche) -> list[str]:
    """Identity questions whose type the démarche already asks, with no `identity_prefill` decision.

    The rule of `flask demarches check`: a démarche that asks an address (an email, a phone number)
    says whether it is the person's own, so the identity pages never ask for it blindly again.
    """
    declared = {target for target, _source in demarche.identity_prefill}
    asked = {question.type for page in demarche.pages if not page.repeat for question in page.questions}
    return [name for name, (target, question_type) in IDENTITY_PREFILL_FIELDS.items()
            if question_type in asked and target not in declared]
