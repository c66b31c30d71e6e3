"""Answers grouped into sections for the check page, the receipt and tracking."""
from guichet.demarches.catalogue import catalogue
from guichet.demarches.summary import sections, with_links


def _load(app, slug):
    with app.app_context():
        return catalogue().get(slug)


def test_sections_follow_the_order_met_and_group_titled_pages(app):
    demarche = _load(app, "demande-acte-etat-civil")
    answers = {"type_acte": "mariage", "type_document": "copie_integrale", "lien": "moi-meme",
               "nom_personne": "Durand", "nom_epoux": "Martin", "date_evenement": "2000-01-01",
               "identite_nom": "Durand"}
    found = sections(demarche, answers)
    kinds = [(section.kind, section.title) for section in found]
    assert kinds[0] == ("answers", None) and kinds[-1] == ("identity", None)
    assert ("page", "La personne concernée par l'acte") in kinds and ("page", "L'autre personne mariée") in kinds
    own = next(section for section in found if section.kind == "answers")
    assert [row.question.id for row in own.rows][:2] == ["type_acte", "type_document"]
    assert "date_evenement" in [row.question.id for row in own.rows]  # after a titled page, still "Votre demande"
    assert len(kinds) == len(set(kinds))


def test_each_item_of_a_repeated_page_is_a_section_and_links_to_its_item(app):
    demarche = _load(app, "inscription-cantine")
    answers = {"enfants": [{"prenom_enfant": "Léa"}, {"prenom_enfant": "Tom"}]}
    found = with_links(sections(demarche, answers), lambda row: f"/{row.page_id}/{row.item}")
    items = [section for section in found if section.kind == "item"]
    assert [section.title for section in items] == ["Enfant 1", "Enfant 2"]
    first = items[1].rows[0]
    assert (first.value, first.item, first.item_label, first.href) == ("Tom", 2, "Enfant 2", "/enfants/2")


def test_pages_that_do_not_apply_are_left_out(app):
    demarche = _load(app, "changement-adresse")
    ids = [row.question.id for section in sections(demarche, {"deja_habitant": "non"}) for row in section.rows]
    assert "ancienne_adresse" not in ids and "nouvelle_adresse" in ids
    ids = [row.question.id for section in sections(demarche, {"deja_habitant": "oui"}) for row in section.rows]
    assert "ancienne_adresse" in ids
