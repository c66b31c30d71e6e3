"""Content pages answer, carry one h1, a unique title, the skip link and the difficulty widget."""
import re

import pytest

from guichet.citizen.views.system import public_urls


def test_home_lists_life_events_demarches_search_and_help(client):
    html = client.get("/").get_data(as_text=True)
    assert html.count('class="carte carte--evenement"') >= 8
    assert 'href="/demarches/' in html
    assert 'action="/recherche"' in html
    assert "Besoin d'aide" in html or "Besoin d&#39;aide" in html
    assert "01 99 00 10 00" in html


def test_every_public_page_has_the_common_parts(app, client):
    with app.app_context():
        urls = public_urls()
    titles = set()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        assert html.count("<h1") == 1, f"{url}: one h1 expected"
        assert 'href="#contenu"' in html, url
        assert 'action="/signalements"' in html, f"{url}: difficulty widget missing"
        assert "<main" in html and "<header" in html and "<footer" in html, url
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()
        assert title.endswith("– Ville d&#39;Admiville"), title
        assert title not in titles, f"duplicate title {title}"
        titles.add(title)


def test_event_page_orders_phases(client):
    html = client.get("/evenements/demenagement").get_data(as_text=True)
    positions = [html.find(label) for label in (">Avant<", ">Après<")]
    assert -1 not in positions and positions == sorted(positions)


def test_event_cards_say_the_deadline_in_words_and_required_steps_come_first(client):
    html = client.get("/evenements/demenagement").get_data(as_text=True)
    apres = html[html.find(">Après<"):]
    carte_grise, listes = apres.find("/fiches/changer-adresse-carte-grise"), apres.find("/fiches/inscription-listes-electorales")
    assert -1 < carte_grise < listes < apres.find("/demarches/changement-adresse")
    assert re.search(r'<p class="carte__delai"><strong>Obligatoire.</strong> Délai : <span>Dans le mois qui suit le '
                     r'déménagement, sinon amende de 135 €</span></p>', apres)


def test_english_event_cards_translate_the_deadline_label(client):
    client.get("/langue/en?suivant=/evenements/naissance")
    html = client.get("/evenements/naissance").get_data(as_text=True)
    client.get("/langue/fr")
    assert "<strong>Required.</strong> Deadline: <span>Within 5 days after the birth</span>" in html


@pytest.mark.parametrize("url", ["/fiches/declarer-naissance", "/aide", "/", "/plan-du-site",
                                 "/demarches/changement-adresse"])
def test_every_contact_offers_a_way_in_without_the_phone(client, url):
    html = client.get(url).get_data(as_text=True)
    assert html.count('href="sms:0639981000"') >= 1
    assert "Personnes sourdes ou malentendantes" in html and "service de relais téléphonique" in html


def test_birth_fiche_offers_no_online_demarche_to_declare_the_birth(client):
    html = client.get("/fiches/declarer-naissance").get_data(as_text=True)
    assert "Faire la démarche en ligne" not in html
    assert "Il n'y a pas de démarche en ligne" in html or "Il n&#39;y a pas de démarche en ligne" in html


def test_the_phone_number_is_not_called_free(client):
    assert "Appel gratuit" not in client.get("/aide").get_data(as_text=True)


def test_fiche_page_has_summary_contact_sources_and_feedback(client):
    html = client.get("/fiches/inscription-listes-electorales").get_data(as_text=True)
    assert "En bref" in html
    assert "Qui contacter" in html
    assert "Sources" in html and "service-public.fr" in html
    assert 'action="/avis"' in html
    assert re.search(r'<img class="picto[^"]*" src="/static/[0-9a-f]{12}/contenu/', html)


@pytest.mark.parametrize("url", ["/fiches/n-existe-pas", "/evenements/n-existe-pas", "/glossaire/n-existe-pas",
                                 "/nulle-part"])
def test_unknown_pages_are_plain_french_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Page introuvable" in html and "Traceback" not in html


def test_help_page_lists_human_help(client):
    html = client.get("/aide").get_data(as_text=True)
    assert "01 99 00 10 00" in html
    assert "France Services" in html
    assert "1 place de la Mairie" in html


def test_english_interface_shows_translated_fiches_and_marks_french_texts(client):
    client.get("/langue/en?suivant=/fiches/pacs")
    html = client.get("/fiches/pacs").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert '<article class="fiche">' in html and "Who is concerned" in html
    assert "Report a problem" in html
    assert '<dd lang="fr">' in html, "the town's French contact details must be marked as French"
    term = client.get("/glossaire/caf").get_data(as_text=True)
    assert '<article class="terme-definition" lang="fr">' in term
    client.get("/langue/fr")


def test_language_switch_refuses_other_sites(client):
    response = client.get("/langue/en?suivant=//evil.example/x")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    client.get("/langue/fr")
