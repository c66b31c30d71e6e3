"""Each rule on a text with a known problem: rule id, line and column."""

from .helpers import located


def findings(report, rule):
    return [f for f in report.findings if f.rule == rule]


# --- vocabulary ----------------------------------------------------------------


def test_term_to_replace_is_an_error_at_every_occurrence_with_its_replacements(run):
    report = run("Respectez la deadline.\nLa deadline est proche.")
    assert located(report, "lexique-remplacer") == [("lexique-remplacer", 1, 14), ("lexique-remplacer", 2, 4)]
    first = findings(report, "lexique-remplacer")[0]
    assert first.severity == "error" and "anglicisme" in first.message
    assert "« date limite »" in first.suggestion and first.excerpt == "deadline"


def test_full_name_and_acronym_pair_counts_once(run):
    report = run("Demandez l'allocation d'aide au retour à l'emploi (ARE) en ligne.")
    assert located(report, "lexique-remplacer") == [("lexique-remplacer", 1, 12)]
    assert "nom administratif" in report.findings[0].message


def test_term_to_explain_is_an_info_once_because_the_site_links_it(run):
    report = run("Gardez l'AME.\n\nL'AME vous aide.")
    assert located(report, "lexique-expliquer") == [("lexique-expliquer", 1, 10)]
    assert findings(report, "lexique-expliquer")[0].severity == "info"


def test_term_to_explain_is_a_warning_where_the_glossary_is_not_linked(run):
    report = run("Gardez l'AME.", glossary_links=False)
    (finding,) = findings(report, "lexique-expliquer")
    assert finding.severity == "warning" and "Une aide pour payer les soins" in finding.suggestion


def test_term_explained_in_place_is_not_reported(run):
    assert findings(run("Demandez l'AME (aide médicale de l'État)."), "lexique-expliquer") == []
    assert findings(run("Un acte, c'est-à-dire un document officiel."), "lexique-expliquer") == []


# --- acronyms ------------------------------------------------------------------


def test_unexplained_acronym_is_reported_at_first_use_only(run):
    report = run("Contactez la MDPH.\nLa MDPH répond vite.")
    assert located(report, "sigle-non-explique") == [("sigle-non-explique", 1, 14)]
    assert findings(report, "sigle-non-explique")[0].excerpt == "MDPH"


def test_acronym_expanded_at_first_use_is_fine(run):
    for text in (
        "La maison départementale des personnes handicapées (MDPH) répond.",
        "La MDPH (maison départementale des personnes handicapées) répond.",
        "La MDPH, c'est-à-dire la maison départementale des personnes handicapées, répond.",
    ):
        assert findings(run(text), "sigle-non-explique") == []
    assert findings(run("Une grille appelée AGGIR mesure votre besoin."), "sigle-non-explique") == []


def test_acronym_known_by_the_vocabulary_is_left_to_the_glossary(run):
    assert findings(run("Demandez l'AME."), "sigle-non-explique") == []


def test_roman_numerals_allowlist_and_codes_are_not_acronyms(run):
    text = "Louis XIV, OK, un PDF, la classe de CE1, la plaque AB-123-CD ou 123 AB 01."
    assert findings(run(text), "sigle-non-explique") == []


# --- grammar and style ------------------------------------------------------------


def test_passive_voice_is_reported_at_the_auxiliary(run):
    report = run(
        "Votre dossier est envoyé par la mairie.\nLes papiers ont été reçus.\nIl n'est pas accepté.\n"
        "Il n'est plus envoyé."
    )
    assert located(report, "voix-passive") == [
        ("voix-passive", 1, 15), ("voix-passive", 2, 13), ("voix-passive", 3, 6), ("voix-passive", 4, 6),
    ]
    assert findings(report, "voix-passive")[1].excerpt == "ont été reçus"


def test_states_compound_past_and_pronominal_verbs_are_not_passive(run):
    text = (
        "Qui est concerné ? Vous êtes né en France. La mairie est ouverte. C'est gratuit. "
        "Il est parti. Vous vous êtes inscrit. Le prix est plus élevé. La salle est publique. "
        "Vous êtes inscrit. Ce sont vous et lui. Ce lieu est très connu."
    )
    assert findings(run(text), "voix-passive") == []


def test_double_negation(run):
    report = run("Ce n'est pas impossible.\nUn coût non négligeable.\nPas sans votre accord.")
    assert located(report, "double-negation") == [
        ("double-negation", 1, 10), ("double-negation", 2, 9), ("double-negation", 3, 1),
    ]
    assert "« possible »" in findings(report, "double-negation")[0].suggestion


def test_not_taxable_is_not_a_double_negation(run):
    assert findings(run("Cette aide n'est pas imposable."), "double-negation") == []


def test_heavy_phrases_each_with_a_plain_suggestion(run):
    report = run("Il convient de remplir le formulaire.\nVous devez procéder au paiement afin de valider.")
    assert [(f.line, f.col, f.severity, f.excerpt) for f in findings(report, "style-lourd")] == [
        (1, 1, "warning", "Il convient de"),
        (2, 12, "warning", "procéder au"),
        (2, 33, "info", "afin de"),
    ]
    assert all(f.suggestion for f in findings(report, "style-lourd"))


def test_heavy_phrase_across_a_line_break(run):
    assert located(run("Il est\nnécessaire de venir."), "style-lourd") == [("style-lourd", 1, 1)]


def test_heavy_phrase_in_the_vocabulary_is_reported_once(run):
    report = run("Venez nonobstant la pluie.")
    assert [f.rule for f in report.findings] == ["lexique-remplacer"]


# --- links, images, headings ---------------------------------------------------------


def test_vague_link_texts_and_bare_addresses(run):
    text = (
        "Pour en savoir plus, [cliquez ici](https://ex.fr/a).\n"
        "Lisez [la page](https://ex.fr/b) et [en savoir plus](https://ex.fr/c).\n"
        "Allez sur https://www.service-public.fr/particuliers.\n"
        "Voir [https://ex.fr/d](https://ex.fr/d) ou <https://ex.fr/e>.\n"
        "Cliquez ici pour continuer.\n"
    )
    assert located(run(text), "lien-vague") == [
        ("lien-vague", 1, 22), ("lien-vague", 2, 37), ("lien-vague", 3, 11),
        ("lien-vague", 4, 6), ("lien-vague", 4, 45), ("lien-vague", 5, 1),
    ]


def test_vague_html_link_text(run):
    assert located(run('Voir <a href="https://ex.fr">ici</a>.'), "lien-vague") == [("lien-vague", 1, 6)]


def test_descriptive_link_is_fine(run):
    assert findings(run("Lisez [la fiche sur le vote](https://ex.fr/a)."), "lien-vague") == []


def test_images_without_alt_are_errors_unless_decorative(run):
    text = (
        "---\n"
        "title: Voter\n"
        "images:\n"
        "  - file: urne.svg\n"
        "  - file: motif.svg\n"
        "    decorative: true\n"
        "---\n"
        "Texte.\n\n"
        "![](plan.png)\n\n"
        '<img src="x.png">\n'
    )
    report = run(text)
    assert located(report, "image-alt") == [("image-alt", 4, 5), ("image-alt", 10, 1), ("image-alt", 12, 1)]
    assert {f.severity for f in findings(report, "image-alt")} == {"error"}


def test_alt_like_a_file_name_or_repeating_the_title_is_a_warning(run):
    text = (
        "---\n"
        "title: Voter\n"
        "images:\n"
        "  - file: urne.svg\n"
        "    alt: urne.svg\n"
        "  - file: a.svg\n"
        "    alt: Voter\n"
        "---\n"
        "![photo-mairie_01](p.png) et ![Une mairie](m.png \"Une mairie\")\n"
    )
    report = run(text)
    assert located(report, "image-alt") == [
        ("image-alt", 5, 10), ("image-alt", 7, 10), ("image-alt", 9, 3), ("image-alt", 9, 32),
    ]
    assert {f.severity for f in findings(report, "image-alt")} == {"warning"}


def test_skipped_heading_levels(run):
    text = "---\ntitle: Page\n---\n### Trop bas\n\n## Bien\n\n#### Saut\n\n# Second titre de page\n"
    assert located(run(text), "titres-niveaux") == [
        ("titres-niveaux", 4, 1), ("titres-niveaux", 8, 1), ("titres-niveaux", 10, 1),
    ]


def test_regular_heading_levels_are_fine(run):
    assert findings(run("## Un\n\n### Deux\n\n## Trois\n"), "titres-niveaux") == []


# --- sentences and whole text ------------------------------------------------------


def test_sentence_in_capitals(run):
    report = run("Bonjour. ATTENTION : LE DOSSIER DOIT ÊTRE COMPLET.\nLa CAF, la CPAM, la MSA et la CNAV.")
    assert located(report, "majuscules") == [("majuscules", 1, 10)]


def test_long_sentence_is_reported_at_its_start(run):
    long_sentence = "Mot " + " ".join(["mot"] * 25) + "."
    report = run(f"Une phrase courte. {long_sentence}")
    (finding,) = findings(report, "phrase-longue")
    assert (finding.line, finding.col) == (1, 20) and "26 mots" in finding.message


def test_long_paragraph(run):
    report = run("Titre\n\nUn. Deux. Trois. Quatre. Cinq. Six.\n\nUn. Deux.\n")
    assert located(report, "paragraphe-long") == [("paragraphe-long", 3, 1)]


def test_readability_thresholds_are_reported_at_line_one(run):
    hard = (
        "Il appartient au demandeur de procéder à la constitution d'un dossier comportant l'ensemble "
        "des justificatifs nécessaires à l'instruction de sa demande administrative.\n"
    ) * 2
    (finding,) = findings(run(hard), "lisibilite")
    assert (finding.line, finding.col, finding.severity) == (1, 1, "error")
    relaxed = run(hard, score_error=0, score_warning=0, words_per_sentence_error=100, words_per_sentence_warning=100)
    assert findings(relaxed, "lisibilite") == []


def test_short_text_is_not_scored(run):
    assert findings(run("Administration intercommunale."), "lisibilite") == []


def test_plain_text_passes_with_no_warning(run):
    text = (
        "---\n"
        "title: Inscrire votre enfant à la cantine\n"
        "summary: Votre enfant peut manger à la cantine. Inscrivez-le en ligne.\n"
        "---\n"
        "## Qui est concerné\n\n"
        "Tous les enfants des écoles de la ville peuvent manger à la cantine.\n\n"
        "## Ce que vous devez faire\n\n"
        "1. Remplissez le formulaire en ligne.\n"
        "2. Joignez une facture récente avec votre adresse.\n"
        "3. La mairie vous répond par courrier en deux semaines.\n\n"
        "Le prix du repas dépend de vos revenus. Vous payez chaque mois.\n"
    )
    report = run(text)
    assert report.findings == []
    assert report.stats.reading_ease > 75


def test_disabled_rules_are_skipped(run):
    report = run("Contactez la MDPH.", disabled_rules=frozenset({"sigle-non-explique"}))
    assert report.findings == []
