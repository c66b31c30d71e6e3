"""/statistiques: every figure as an SVG chart, its table and a sentence; "non publié" for small counts; French
and English; within the page budget; never stored as a shared page (the figures change every day)."""
import re

import pytest

from a11y.budgets import HTML_AND_CSS_BUDGET, measure
from tests.opendata.helpers import fresh_app, seed_last_month

SLUG = "demande-acte-etat-civil"


@pytest.fixture(scope="module")
def stats_app(tmp_path_factory):
    app = fresh_app(tmp_path_factory)
    seed_last_month(app)
    return app


@pytest.fixture
def stats_client(stats_app):
    return stats_app.test_client()


def test_the_overview_shows_each_demarche_and_links_to_the_answers(stats_client):
    html = stats_client.get("/statistiques").get_data(as_text=True)
    assert "<h1>Statistiques : comment nous traitons vos demandes</h1>" in html
    assert f'href="/statistiques/{SLUG}"' in html and 'href="/statistiques/changement-adresse"' in html
    assert 'href="/signalements/suivi-public"' in html and 'href="/donnees"' in html
    row = re.search(rf'<a href="/statistiques/{SLUG}">.*?</tr>', html, re.S).group(0)
    assert "<td>6</td>" in row and "3,5 jours" in row and "100 %" in row and "4,2 sur 5 (5 réponses)" in row
    assert "non publié" in html
    assert "<script>" not in html and " style=" not in html


def test_a_demarche_page_has_three_charts_each_with_its_table_and_sentence(stats_client):
    html = stats_client.get(f"/statistiques/{SLUG}").get_data(as_text=True)
    charts = re.findall(r'<section class="graphique".*?</section>', html, re.S)
    assert len(charts) == 3
    for chart in charts:
        assert '<svg class="graphique__dessin"' in chart and 'aria-hidden="true"' in chart
        assert "currentColor" in chart and "#" not in chart.split("<svg")[1].split("</svg>")[0]  # no fixed colour
        assert len(re.findall(r"<tr><th scope=\"row\">", chart)) == 12
        assert re.search(r"</h3>\s*<p>En 12 mois, ", chart)
    assert "la moitié des demandes ont reçu une décision en moins de 3,5 jours" in html
    assert "<td>non publié</td>" in html  # the other months
    assert "Pointillés : nombre non publié" in html


def test_no_legal_delay_chart_for_a_demarche_without_implicit_decision(stats_client):
    html = stats_client.get("/statistiques/changement-adresse").get_data(as_text=True)
    assert html.count('<section class="graphique"') == 2
    assert "sans objet : pas de délai légal" in html


def test_in_english(stats_client):
    stats_client.get("/langue/en?suivant=/")
    html = stats_client.get(f"/statistiques/{SLUG}").get_data(as_text=True)
    assert "Requests received each month" in html and "not published" in html and "3.5 days" in html
    assert 'lang="fr"' in html  # the démarche's title stays French


def test_listed_in_the_sitemap_and_the_footer(stats_client):
    sitemap = stats_client.get("/sitemap.xml").get_data(as_text=True)
    for path in ("/statistiques", f"/statistiques/{SLUG}", "/donnees"):
        assert f"{path}</loc>" in sitemap
    footer = stats_client.get("/").get_data(as_text=True).split('<footer class="pied">')[1]
    assert 'href="/statistiques"' in footer and 'href="/donnees"' in footer


def test_unknown_demarche(stats_client):
    assert stats_client.get("/statistiques/inconnue").status_code == 404


@pytest.mark.parametrize("path", ["/statistiques", f"/statistiques/{SLUG}", "/donnees"])
def test_within_the_page_budget_with_figures(stats_client, path):
    weight = measure(stats_client, path)
    assert weight.first_paint <= HTML_AND_CSS_BUDGET, weight
