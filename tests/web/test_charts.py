"""One geometry for every bar chart (guichet/web/charts.py) drawn by one macro (components/bar_chart.html):
monthly columns with withheld values, labelled rows with a highlighted bar; the SVG stays decorative and in
currentColor, the sentence and a table carry the data."""
import re

from flask import render_template_string

from guichet.web import charts
from guichet.web.charts import DOTTED, FILLED, OUTLINED, Value

DRAW = '{% from "components/bar_chart.html" import bar_chart %}{{ bar_chart(chart) }}'
DRAW_WITH_TABLE = ('{% from "components/bar_chart.html" import bar_chart %}'
                   '{% call bar_chart(chart, level=4) %}<table><caption>Détail</caption></table>{% endcall %}')


def a_month_chart() -> charts.Chart:
    values = [Value("janvier 2026", 10, "10", short="J"), Value("février 2026", None, "non publié", short="F"),
              Value("mars 2026", 5, "5", short="M")]
    return charts.columns("essai", "Demandes", "Une phrase.", "Mois", "Demandes reçues", values, 10, "10")


def test_columns_scale_to_the_top_and_a_withheld_value_is_a_small_dotted_outline():
    chart = a_month_chart()
    full, withheld, half = chart.bars
    assert (full.height, full.y, full.style) == (96, 24, FILLED)
    assert (half.height, half.y) == (48, 72)
    assert withheld.withheld and withheld.style == DOTTED and withheld.height == 6
    assert [text.content for text in chart.texts] == ["10", "J", "F", "M"]
    assert all(text.anchor == "middle" for text in chart.texts[1:])


def test_rows_fill_the_highlighted_bar_outline_the_others_and_shorten_long_labels():
    long_label = "Une étape au titre vraiment beaucoup trop long pour tenir"
    chart = charts.rows("abandons", "Abandons", "Une phrase.",
                        [Value(long_label, 50, "50 %", highlight=True), Value("Courte", 0, "0 %")], maximum=100)
    first, second = chart.bars
    assert (first.style, first.width) == (FILLED, 150) and second.style == OUTLINED
    assert second.width == 1  # a zero still shows a sliver next to its "0 %"
    assert chart.height == 2 * 30 + 6 and chart.lines == ()
    labels = [text.content for text in chart.texts]
    assert labels[0].endswith("…") and len(labels[0]) == 34 and "Courte" in labels and "50 %" in labels
    assert first.label == long_label  # the table keeps the whole label


def test_the_macro_draws_a_decorative_svg_its_sentence_and_its_table(app):
    with app.test_request_context("/"):
        html = render_template_string(DRAW, chart=a_month_chart())
    assert re.search(r'<h3 id="graphique-essai">Demandes</h3>\s*<p>Une phrase.</p>', html)
    svg = html.split("<svg")[1].split("</svg>")[0]
    assert 'aria-hidden="true"' in svg and 'focusable="false"' in svg and "#" not in svg
    assert svg.count("<rect") == 3 and 'stroke-dasharray="2 2"' in svg and svg.count("<line") == 2
    assert "Pointillés : nombre non publié" in html
    assert '<caption class="visuellement-cache">Demandes</caption>' in html
    assert len(re.findall(r'<tr><th scope="row">', html)) == 3 and "<td>non publié</td>" in html


def test_a_caller_gives_its_own_table_instead_of_the_default_one(app):
    chart = charts.rows("canaux", "Canaux", "Trois demandes.", [Value("En ligne", 3, "3")])
    with app.test_request_context("/"):
        html = render_template_string(DRAW_WITH_TABLE, chart=chart)
    assert '<h4 id="graphique-canaux">Canaux</h4>' in html and "<caption>Détail</caption>" in html
    assert "visuellement-cache" not in html and "Pointillés" not in html
    assert 'fill="none" stroke="currentColor" stroke-width="1.5"' in html


def test_no_drawing_without_bars(app):
    with app.test_request_context("/"):
        html = render_template_string(DRAW, chart=charts.rows("vide", "Vide", "Rien sur la période.", []))
    assert "<svg" not in html and "Rien sur la période." in html
