"""The deliberately bad fiche: every known problem is found, at its place."""

from lexicon import Config, check_file

from .helpers import FIXTURES, TEST_VOCABULARY


def test_bad_fiche_findings():
    report = check_file(FIXTURES / "fiche-mauvaise.md", Config(vocabulary=str(TEST_VOCABULARY)))
    assert [(f.rule, f.severity, f.line, f.col) for f in report.findings] == [
        ("lexique-remplacer", "error", 3, 21),  # title: "l'ARE"
        ("style-lourd", "warning", 5, 3),  # summary: "Il convient de"
        ("style-lourd", "warning", 5, 18),  # "procéder à la"
        ("style-lourd", "warning", 5, 56),  # "dans le cadre de"
        ("image-alt", "error", 7, 5),  # front-matter image without alt
        ("image-alt", "warning", 9, 10),  # alt that is a file name
        ("titres-niveaux", "warning", 12, 1),  # "####" right after the page title
        ("phrase-longue", "warning", 14, 1),  # 35 words
        ("voix-passive", "warning", 14, 12),  # "est instruit"
        ("lexique-expliquer", "info", 14, 114),  # "pièces justificatives", linked to the glossary
        ("lien-vague", "warning", 16, 22),  # "[cliquez ici]"
        ("sigle-non-explique", "warning", 18, 14),  # "MDPH"
        ("majuscules", "warning", 20, 1),  # "ATTENTION : LE DOSSIER …"
        ("double-negation", "warning", 22, 10),  # "pas impossible"
        ("image-alt", "error", 24, 1),  # "![](plan-acces.png)"
    ]
    assert not report.ok
