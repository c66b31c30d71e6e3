"""Acting for someone else: the helper's questions, the wording about the person, where the receipt goes."""
import re

from hypothesis import given, settings, strategies as st
from werkzeug.datastructures import MultiDict

from guichet.demarches import flow, intermediary, wording
from guichet.demarches.catalogue import catalogue
from guichet.demarches.forms import page_form_class
from guichet.web.input import printable

AGREEMENT_PAGE = next(page for page in intermediary.PAGES if page.id == intermediary.AGREEMENT)
HELPER_PAGE = next(page for page in intermediary.PAGES if page.id == intermediary.HELPER)
PHONE_RE = re.compile(r"(?:0|\+33 ?)[1-9](?:[ .]?[0-9]{2}){4}")


def _validate(app, page, pairs):
    with app.test_request_context(method="POST"):
        form = page_form_class(page)(formdata=MultiDict(pairs), meta={"csrf": False})
        return form.validate(), form


@settings(max_examples=150)
@given(values=st.lists(st.one_of(st.just("oui"), st.text(max_size=8)), max_size=3))
def test_the_agreement_holds_only_when_its_box_alone_is_ticked(app, values):
    valid, form = _validate(app, AGREEMENT_PAGE, [(intermediary.AGREEMENT, value) for value in values])
    assert valid == (bool(values) and set(values) == {"oui"})
    if not values:
        assert form[intermediary.AGREEMENT].errors == [
            "Cochez la case : la personne doit être d'accord pour que vous fassiez cette démarche."]


@settings(max_examples=150)
@given(phone=st.one_of(st.text(max_size=20), st.from_regex(PHONE_RE, fullmatch=True)),
       name=st.text(max_size=120))
def test_the_helper_gives_a_name_and_a_french_phone_number(app, phone, name):
    prefix = intermediary.HELPER
    valid, form = _validate(app, HELPER_PAGE, [(f"{prefix}_nom", name), (f"{prefix}_prenom", "Awa"),
                                               (f"{prefix}_telephone", phone)])
    clean_name = " ".join(printable(name).split())
    phone_ok = bool(PHONE_RE.fullmatch(" ".join(printable(phone).split())))
    assert valid == (phone_ok and 0 < len(clean_name) <= 100)


@given(identity=st.fixed_dictionaries({
    intermediary.FOR_WHOM: st.sampled_from([intermediary.MYSELF, intermediary.SOMEONE_ELSE]),
    "identite_destinataire": st.sampled_from(["personne", "aidant", "lieu"]),
    "identite_email": st.sampled_from(["personne@example.fr", None]),
    intermediary.HELPER_EMAIL: st.just("aidant@example.fr"),
    intermediary.HELP_POINT_EMAIL: st.just("accueil@france-services.example.fr"),
}))
def test_the_receipt_goes_to_the_address_the_helper_chose(identity):
    expected = identity["identite_email"]
    if identity[intermediary.FOR_WHOM] == intermediary.SOMEONE_ELSE:
        expected = {"personne": identity["identite_email"], "aidant": "aidant@example.fr",
                    "lieu": "accueil@france-services.example.fr"}[identity["identite_destinataire"]]
    assert intermediary.receipt_email(identity) == expected


NOUNS = st.sampled_from(["adresse", "nouvelle adresse", "numéro", "prénom", "date", "école", "hôpital", "nom"])


@given(noun=NOUNS, ask=st.sampled_from(["Quel est", "Quelle est", "Quelle était", "Quel était"]),
       rest=st.sampled_from(["", " (facultatif)"]))
def test_the_rule_asks_about_the_person_and_no_longer_speaks_to_them(noun, ask, rest):
    rewritten = wording.rewritten(f"{ask} votre {noun} ?{rest}")
    assert rewritten.endswith(f"{noun} de la personne ?{rest}")
    assert not wording.speaks_to_person(rewritten)
    assert ("l'" + noun) in rewritten if noun[0] in "aeiouhéô" else " votre " not in rewritten


def test_a_choice_in_the_first_person_is_the_person_speaking():
    assert all(wording.speaks_as_person(text) for text in ("Je suis son enfant", "C'est mon acte", "J'ai un PAI"))
    assert not any(wording.speaks_as_person(text) for text in ("Jeudi", "Autre lien", "Un monte-meubles"))


def test_the_rule_leaves_what_it_cannot_word_safely():
    assert wording.rewritten("Quel est votre lien avec la personne ?") is None
    assert wording.rewritten("Que voulez-vous installer ?") is None
    assert not wording.speaks_to_person("Que voulez-vous installer ?")
    assert wording.speaks_to_person("Avez-vous un enfant ?") and wording.speaks_to_person("Un de vos enfants")


def test_every_page_of_every_demarche_speaks_to_a_helper_about_the_person(app):
    with app.app_context():
        for demarche in catalogue().all():
            helper = flow.applicable_pages(demarche, {intermediary.FOR_WHOM: intermediary.SOMEONE_ELSE,
                                                      intermediary.ROLE: intermediary.GUARDIAN})
            self_pages = flow.applicable_pages(demarche, {intermediary.FOR_WHOM: intermediary.MYSELF})
            assert intermediary.MANDATE in [page.id for page in helper]
            assert not intermediary.PAGE_IDS - {intermediary.FOR_WHOM} & {page.id for page in self_pages}
            for page in helper:
                texts = [page.title or ""] + [question.label for question in page.questions]
                if page.id not in intermediary.PAGE_IDS:
                    assert not any(wording.speaks_to_person(text) for text in texts), (demarche.slug, texts)
                    choices = [option.label for question in page.questions for option in question.options]
                    assert not any(wording.speaks_as_person(choice) for choice in choices), (demarche.slug, choices)
            assert flow.applicable_pages(demarche, {})[0].id == intermediary.FOR_WHOM


def test_the_persons_email_is_not_asked_when_the_receipt_goes_elsewhere(app):
    with app.app_context():
        demarche = catalogue().get("changement-adresse")
        base = {intermediary.FOR_WHOM: intermediary.SOMEONE_ELSE}
        for recipient, asked in (("personne", True), ("aidant", False), ("lieu", False)):
            ids = {page.id for page in flow.applicable_pages(demarche, {**base, "identite_destinataire": recipient})}
            assert ("identite_email" in ids) == asked
        assert "identite_email" in {page.id for page in flow.applicable_pages(demarche, {})}
