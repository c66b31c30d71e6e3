"""Acting for someone else: a relative, a social worker, a help point's agent, a guardian.

Every démarche first asks who it is for. For another person, the engine's pages below ask who the helper
is for the person, the helper's name and phone, the person's agreement (and, for a guardian, the judgment
or mandate), and whose email receives the receipt and the messages. The démarche's questions and the
identity pages are then asked about the person (wording.py). The answers are identity answers (prefix
`identite_`): they are stored with the person's identity, on the request and on each of its versions.
"""
from dataclasses import dataclass

from guichet.demarches.definitions import DEFAULT_MAX_BYTES, Condition, Option, Page, Validation
from guichet.demarches.identity import EMAIL_VALIDATION, NOT_THE_PERSON, PHONE_VALIDATION, RECIPIENT, make_question

FOR_WHOM = "identite_pour_qui"
MYSELF, SOMEONE_ELSE = "moi", "autre"
ROLE = "identite_aidant_role"
GUARDIAN = "tuteur"
HELPER = "identite_aidant"
AGREEMENT = "identite_accord"
MANDATE = "identite_mandat"
HELPER_EMAIL = "identite_aidant_email"
HELP_POINT_EMAIL = "identite_lieu_email"
RECIPIENTS = {"personne": None, "aidant": HELPER_EMAIL, "lieu": HELP_POINT_EMAIL}
assert set(RECIPIENTS) - {"personne"} == set(NOT_THE_PERSON)

FILE_LIMITS = Validation(None, None, None, None, None, None, None, ("pdf", "jpeg", "png"), DEFAULT_MAX_BYTES)
NAME_LIMITS = Validation(None, 100, None, None, None, None, None, (), 0)
ROLES = (
    Option("proche", "Un proche : de la famille, un ami, un voisin", None),
    Option("travailleur-social", "Un travailleur social", "Par exemple, une assistante sociale du CCAS."),
    Option("lieu-aide", "Un agent d'un lieu d'aide, comme France services", None),
    Option(GUARDIAN, "Son tuteur ou son curateur", "Vous devrez envoyer le jugement ou le mandat."),
    Option("autre", "Autre", None),
)
RECIPIENT_OPTIONS = (
    Option("personne", "La personne, à son adresse e-mail", None),
    Option("aidant", "Vous, à votre adresse e-mail", None),
    Option("lieu", "Le lieu d'aide, à son adresse e-mail partagée",
           "Par exemple, l'adresse de la France services. Utile si la personne n'a pas d'adresse e-mail."),
)


def _for_someone_else() -> Condition:
    return Condition(FOR_WHOM, (SOMEONE_ELSE,))


PAGES = (
    Page(FOR_WHOM, None, (make_question(
        FOR_WHOM, "radios", "Faites-vous cette démarche pour vous ou pour une autre personne ?",
        options=(Option(MYSELF, "Pour moi", None),
                 Option(SOMEONE_ELSE, "Pour une autre personne",
                        "Vous aidez un proche, ou vous êtes travailleur social, agent d'un lieu d'aide, tuteur "
                        "ou curateur.")),
        required_message="Choisissez « Pour moi » ou « Pour une autre personne »."),), None, None),
    Page(ROLE, None, (make_question(ROLE, "radios", "Qui êtes-vous pour cette personne ?", options=ROLES),),
         _for_someone_else(), None),
    Page(HELPER, "Vous, la personne qui aide", (
        make_question(f"{HELPER}_nom", "text", "Votre nom de famille", validation=NAME_LIMITS,
                      autocomplete="family-name"),
        make_question(f"{HELPER}_prenom", "text", "Votre prénom", validation=NAME_LIMITS, autocomplete="given-name"),
        make_question(f"{HELPER}_structure", "text", "Votre structure (facultatif)", required=False,
                      hint="Par exemple, le CCAS ou la France services où vous travaillez.",
                      validation=Validation(None, 150, None, None, None, None, None, (), 0),
                      autocomplete="organization"),
        make_question(f"{HELPER}_telephone", "phone", "Votre numéro de téléphone",
                      hint="Le service vous appelle si une information manque.", validation=PHONE_VALIDATION,
                      autocomplete="tel", inputmode="tel"),
    ), _for_someone_else(), None),
    Page(AGREEMENT, None, (make_question(
        AGREEMENT, "checkboxes", "La personne est-elle d'accord ?",
        hint="Vous ne pouvez pas faire cette démarche sans son accord.",
        options=(Option("oui", "Oui, la personne est d'accord pour que je fasse cette démarche pour elle.", None),),
        required_message="Cochez la case : la personne doit être d'accord pour que vous fassiez cette démarche."),),
        _for_someone_else(), None),
    Page(MANDATE, None, (make_question(
        MANDATE, "file", "Envoyez le jugement ou le mandat",
        hint="Le jugement de tutelle ou de curatelle, ou le mandat qui vous nomme. Format PDF, JPEG ou PNG, "
             "5 Mo au plus.",
        validation=FILE_LIMITS,
        required_message="Envoyez le jugement ou le mandat : il est obligatoire pour un tuteur ou un curateur."),),
        Condition(ROLE, (GUARDIAN,)), None),
    Page(RECIPIENT, None, (make_question(
        RECIPIENT, "radios", "Qui reçoit l'accusé de réception et les messages du service ?",
        options=RECIPIENT_OPTIONS),), _for_someone_else(), None),
    Page(HELPER_EMAIL, None, (make_question(
        HELPER_EMAIL, "email", "Quelle est votre adresse e-mail ?",
        hint="Nous envoyons l'accusé de réception et les messages du service à cette adresse.",
        validation=EMAIL_VALIDATION, autocomplete="email", inputmode="email"),), Condition(RECIPIENT, ("aidant",)), None),
    Page(HELP_POINT_EMAIL, None, (make_question(
        HELP_POINT_EMAIL, "email", "Quelle est l'adresse e-mail partagée du lieu d'aide ?",
        hint="Nous envoyons l'accusé de réception et les messages du service à cette adresse.",
        validation=EMAIL_VALIDATION, autocomplete="off", inputmode="email"),), Condition(RECIPIENT, ("lieu",)), None),
)
PAGE_IDS = frozenset(page.id for page in PAGES)
ANSWER_IDS = frozenset(question.id for page in PAGES for question in page.questions)


def for_someone_else(answers: dict) -> bool:
    return answers.get(FOR_WHOM) == SOMEONE_ELSE


def receipt_email(identity: dict) -> str | None:
    """Where the receipt and the messages go: the person's address, or the one the helper chose; None when
    there is none (an agent may register a request without an email)."""
    source = RECIPIENTS.get(identity.get(RECIPIENT)) if for_someone_else(identity) else None
    return identity.get(source or "identite_email") or None


@dataclass(frozen=True)
class Helper:
    """Who acted for the person, as the receipt, the tracking page and the back office show it."""

    role: str
    name: str
    person: str
    structure: str | None
    phone: str | None
    email: str | None
    recipient: str
    mandate_sent: bool


def helper_of(identity: dict) -> Helper | None:
    """The helper of a request, or None when the person made it themselves."""
    if not for_someone_else(identity or {}):
        return None
    labels = {option.value: option.label for option in ROLES}
    recipients = {option.value: option.label for option in RECIPIENT_OPTIONS}
    return Helper(role=labels.get(identity.get(ROLE), str(identity.get(ROLE) or "")),
                  name=_full_name(identity, f"{HELPER}_prenom", f"{HELPER}_nom"),
                  person=_full_name(identity, "identite_prenom", "identite_nom"),
                  structure=identity.get(f"{HELPER}_structure") or None,
                  phone=identity.get(f"{HELPER}_telephone") or None,
                  email=identity.get(HELPER_EMAIL) or identity.get(HELP_POINT_EMAIL) or None,
                  recipient=recipients.get(identity.get(RECIPIENT), ""), mandate_sent=bool(identity.get(MANDATE)))


def _full_name(identity: dict, *keys: str) -> str:
    return " ".join(str(identity.get(key) or "").strip() for key in keys).strip()
