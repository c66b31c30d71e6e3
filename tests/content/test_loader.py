"""The loader refuses the whole content set on any problem, naming the file and the field."""
from pathlib import Path

import pytest

from guichet.content.errors import ContentError
from guichet.content.loader import References, read_content

EVENT = """---
slug: demenagement
title: Je déménage
pictogram: maison.svg
order: 1
phases:
  avant:
    - fiche: carte-grise
  apres:
    - demarche: changement-adresse
    - fiche: listes
---

Vous changez de logement. Voici les démarches, dans l'ordre.
"""

FICHE = """---
slug: {slug}
title: {title}
summary: Une phrase courte. Une autre phrase.
life_events: [demenagement]
audience: [particulier]
owner_service: accueil
source:
  - title: Service-Public.fr
    url: https://www.service-public.fr/particuliers/vosdroits/F1367
verified: 2026-11-20
related_demarches: [changement-adresse]
related_fiches: [{other}]
keywords: [vote]
images:
  - file: maison.svg
    alt: Une petite maison.
---

## Qui est concerné

Vous.

## Ce que vous devez faire

1. Allez sur le [site de la mairie](/fiches/{other}).
2. Remplissez la [démarche](/demarches/changement-adresse).

## Délai

Un mois.
"""


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    (tmp_path / "fr" / "evenements").mkdir(parents=True)
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "maison.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"/>')
    (tmp_path / "fr" / "evenements" / "demenagement.md").write_text(EVENT)
    (tmp_path / "fr" / "carte-grise.md").write_text(FICHE.format(slug="carte-grise", title="Carte grise", other="listes"))
    (tmp_path / "fr" / "listes.md").write_text(FICHE.format(slug="listes", title="Listes électorales", other="carte-grise"))
    return tmp_path


def references(content_dir: Path) -> References:
    return References(services={"accueil"}, demarches={"changement-adresse"}, glossary={"cerfa"},
                      images_dir=content_dir / "images")


def problems_of(content_dir: Path) -> list[tuple[str, str, str]]:
    with pytest.raises(ContentError) as caught:
        read_content(content_dir, references(content_dir))
    return caught.value.problems


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"test set-up: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1))


def test_valid_content_loads(content_dir):
    content = read_content(content_dir, references(content_dir))
    assert content.fiche_slugs() == {"carte-grise", "listes"}
    assert content.events[0].phases["apres"] == [{"kind": "demarche", "slug": "changement-adresse"},
                                                 {"kind": "fiche", "slug": "listes"}]


def test_deadline_and_mandatory_are_kept_on_the_step(content_dir):
    edit(content_dir / "fr" / "evenements" / "demenagement.md", "    - fiche: carte-grise\n",
         "    - fiche: carte-grise\n      delai: Dans le mois qui suit le déménagement\n      obligatoire: true\n")
    avant = read_content(content_dir, references(content_dir)).events[0].phases["avant"]
    assert avant == [{"kind": "fiche", "slug": "carte-grise", "delai": "Dans le mois qui suit le déménagement",
                      "obligatoire": True}]


@pytest.mark.parametrize("lines, field, words", [
    ("      delai: 30\n", "phases.avant[0].delai", "phrase courte"),
    ("      delai: \"\"\n", "phases.avant[0].delai", "phrase courte"),
    (f"      delai: {'x' * 91}\n", "phases.avant[0].delai", "90 caractères au plus"),
    ("      delai: Dans le mois\n      obligatoire: oui\n", "phases.avant[0].obligatoire", "obligatoire: true"),
    ("      obligatoire: true\n", "phases.avant[0].obligatoire", "doit dire son délai"),
    ("      urgent: true\n", "phases.avant[0]", "« delai: » et « obligatoire: »"),
])
def test_bad_deadline_is_refused_with_a_clear_message(content_dir, lines, field, words):
    edit(content_dir / "fr" / "evenements" / "demenagement.md", "    - fiche: carte-grise\n",
         "    - fiche: carte-grise\n" + lines)
    problems = problems_of(content_dir)
    assert [(Path(path).name, where) for path, where, _ in problems] == [("demenagement.md", field)]
    assert words in problems[0][2]


def test_a_step_with_a_deadline_must_come_before_steps_without(content_dir):
    edit(content_dir / "fr" / "evenements" / "demenagement.md", "    - fiche: listes\n",
         "    - fiche: listes\n      delai: Au plus tard le 6e vendredi avant un vote\n")
    problems = problems_of(content_dir)
    assert [(Path(path).name, where) for path, where, _ in problems] == [("demenagement.md", "phases.apres")]
    assert "placez « fiche: listes » avant « demarche: changement-adresse »" in problems[0][2]


def test_a_mandatory_step_must_come_before_one_that_is_only_urgent(content_dir):
    edit(content_dir / "fr" / "evenements" / "demenagement.md",
         "    - demarche: changement-adresse\n    - fiche: listes\n",
         "    - demarche: changement-adresse\n      delai: Vite\n"
         "    - fiche: listes\n      delai: Dans le mois\n      obligatoire: true\n")
    problems = problems_of(content_dir)
    assert [where for _, where, _ in problems] == ["phases.apres"]
    assert "les étapes obligatoires viennent d'abord" in problems[0][2]


def test_missing_title_names_file_and_field(content_dir):
    edit(content_dir / "fr" / "listes.md", "title: Listes électorales\n", "")
    problems = problems_of(content_dir)
    assert any(path.endswith("listes.md") and field == "title" for path, field, _ in problems)


def test_image_without_alt_is_refused(content_dir):
    edit(content_dir / "fr" / "listes.md", "    alt: Une petite maison.\n", "")
    problems = problems_of(content_dir)
    assert [(Path(path).name, field) for path, field, _ in problems] == [("listes.md", "images[0].alt")]


def test_decorative_image_needs_no_alt(content_dir):
    edit(content_dir / "fr" / "listes.md", "    alt: Une petite maison.\n", "    decorative: true\n")
    read_content(content_dir, references(content_dir))


def test_unknown_life_event_is_refused(content_dir):
    edit(content_dir / "fr" / "listes.md", "life_events: [demenagement]", "life_events: [demenagement, vacances]")
    problems = problems_of(content_dir)
    assert any(field == "life_events" and "vacances" in message for _, field, message in problems)


def test_broken_internal_link_is_refused(content_dir):
    edit(content_dir / "fr" / "listes.md", "(/fiches/carte-grise)", "(/fiches/n-existe-pas)")
    problems = problems_of(content_dir)
    assert any(Path(path).name == "listes.md" and field == "lien" and "n-existe-pas" in message
               for path, field, message in problems)


def test_unknown_demarche_and_related_fiche_are_refused(content_dir):
    edit(content_dir / "fr" / "listes.md", "related_demarches: [changement-adresse]", "related_demarches: [inconnue]")
    edit(content_dir / "fr" / "listes.md", "related_fiches: [carte-grise]", "related_fiches: [absente]")
    fields = {field for _, field, _ in problems_of(content_dir)}
    assert {"related_demarches", "related_fiches"} <= fields


def test_event_and_fiche_must_agree(content_dir):
    edit(content_dir / "fr" / "evenements" / "demenagement.md", "    - fiche: listes\n", "")
    problems = problems_of(content_dir)
    assert any(Path(path).name == "listes.md" and field == "life_events" for path, field, _ in problems)


def test_sections_out_of_order_are_refused(content_dir):
    edit(content_dir / "fr" / "listes.md", "## Qui est concerné\n\nVous.\n\n", "")
    edit(content_dir / "fr" / "listes.md", "## Délai\n\nUn mois.\n", "## Délai\n\nUn mois.\n\n## Qui est concerné\n\nVous.\n")
    assert any(field == "sections" for _, field, _ in problems_of(content_dir))


def test_malformed_front_matter_is_reported_not_raised(content_dir):
    (content_dir / "fr" / "listes.md").write_text("---\ntitle: [non fermé\n---\n\n## Qui est concerné\n")
    problems = problems_of(content_dir)
    assert any(Path(path).name == "listes.md" and field == "en-tête" for path, field, _ in problems)


def test_every_problem_is_listed_at_once(content_dir):
    edit(content_dir / "fr" / "listes.md", "title: Listes électorales\n", "")
    edit(content_dir / "fr" / "carte-grise.md", "owner_service: accueil", "owner_service: inconnu")
    fields = {(Path(path).name, field) for path, field, _ in problems_of(content_dir)}
    assert {("listes.md", "title"), ("carte-grise.md", "owner_service")} <= fields


def test_real_site_content_is_valid(app):
    from guichet.content import service
    with app.app_context():
        content = service.validate()
    assert len(content.event_slugs()) >= 8
    assert len(content.fiche_slugs()) >= 24


def test_front_matter_problems_are_plain_sentences_at_their_key(content_dir):
    edit(content_dir / "fr" / "listes.md", "verified: 2026-11-20", "verified: hier")
    edit(content_dir / "fr" / "listes.md", "audience: [particulier]", "audience: [particulier, touriste]")
    problems = {(Path(path).name, field): message for path, field, message in problems_of(content_dir)}
    assert problems[("listes.md", "verified")] == "date obligatoire au format AAAA-MM-JJ"
    assert "« touriste » n'est pas possible" in problems[("listes.md", "audience[1]")]
