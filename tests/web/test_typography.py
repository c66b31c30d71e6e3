"""French typography: non-breaking spaces where French wants them, and nowhere else."""
import pytest

from guichet.web.typography import NBSP, NNBSP, french_spacing, french_spacing_text


@pytest.mark.parametrize("text, expected", [
    ("Besoin d'aide ?", f"Besoin d'aide{NNBSP}?"),
    ("Attention ! Vite ; enfin", f"Attention{NNBSP}! Vite{NNBSP}; enfin"),
    ("Exemple : voici", f"Exemple{NBSP}: voici"),
    ("« Je déménage »", f"«{NBSP}Je déménage{NBSP}»"),
    ("de 8 h 30 à 17 h", f"de 8{NBSP}h{NBSP}30 à 17{NBSP}h"),
    ("Appelez le 01 99 00 10 20.", f"Appelez le 01{NBSP}99{NBSP}00{NBSP}10{NBSP}20."),
    ("une amende de 135 €", f"une amende de 135{NBSP}€"),
    ("100 000 habitants", f"100{NNBSP}000 habitants"),
    ("dans les 5 jours, 30 minutes", f"dans les 5{NBSP}jours, 30{NBSP}minutes"),
    ("n° 12", f"n°{NBSP}12"),
    # left alone: no space to begin with, English, times, addresses
    ("Need help?", "Need help?"),
    ("https://www.service-public.fr/particuliers", "https://www.service-public.fr/particuliers"),
    ("à 10:30", "à 10:30"),
    ("ADM-2026-000123", "ADM-2026-000123"),
    ("1 2", "1 2"),
])
def test_text_rules(text, expected):
    assert french_spacing_text(text) == expected


def test_markup_attributes_and_raw_elements_are_never_touched():
    html = ('<p title="Vraiment ?">Vraiment ?</p><textarea>Texte tapé ?</textarea>'
            '<pre>code : 1</pre><input value="a : b"><p>Fin !</p>')
    assert french_spacing(html) == (f'<p title="Vraiment ?">Vraiment{NNBSP}?</p><textarea>Texte tapé ?</textarea>'
                                    f'<pre>code : 1</pre><input value="a : b"><p>Fin{NNBSP}!</p>')


def test_a_title_does_not_break_before_its_question_mark():
    assert french_spacing("<h1>Que faire ?</h1>") == f"<h1>Que faire{NNBSP}?</h1>"


def test_every_page_is_sent_with_french_typography(client):
    """On the bytes sent: a title's question mark never starts a line, nor the halves of an opening time."""
    html = client.get("/aide").get_data().decode()
    assert f"Besoin d'aide{NNBSP}?" in html
    assert f"8{NBSP}h{NBSP}30" in client.get("/fiches/pacs").get_data().decode()
