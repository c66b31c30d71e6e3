"""Benchmark: ``python -m lexicon.bench``. Prints timings; it asserts nothing.

Target: `check()` under 100 ms for a 1 500-word fiche, so the back office can
re-check a fiche live while an editor types.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

from .checker import check, check_file
from .cli import collect_files
from .measures import WORD
from .text import InputError
from .vocabulary import load_vocabulary

SITE_CONTENT = Path(__file__).resolve().parent.parent / "site" / "content"

_SENTENCES = [
    "Vous pouvez faire cette démarche en ligne ou à la mairie.",
    "Préparez une pièce justificative de domicile de moins de 3 mois.",
    "Il convient de procéder à la vérification de votre dossier dans le cadre de la procédure.",
    "Votre demande est traitée par le service des affaires générales dans un délai de deux semaines.",
    "La CAF verse l'aide chaque mois sur votre compte bancaire.",
    "Pour en savoir plus, [cliquez ici](https://www.service-public.fr/particuliers/vosdroits/F1367).",
    "Le formulaire cerfa doit être complété et signé par le demandeur ou son représentant légal.",
    "Ce n'est pas impossible de faire la démarche sans rendez-vous, mais c'est plus long.",
    "Vous recevez une réponse par courrier ou par e-mail.",
    "Si vous êtes allocataire du RSA, vous avez droit à une réduction sur la cantine.",
    "Afin de faciliter l'instruction de votre dossier, veuillez joindre une copie de votre titre de séjour.",
    "L'accueil est ouvert du lundi au vendredi, de 8 h 30 à 17 h 30.",
    "Le montant de l'allocation dépend de vos revenus et du nombre d'enfants à charge dans le foyer.",
    "Venez avec votre carte d'identité ou votre passeport.",
    "En cas de perte, faites une déclaration au commissariat ou à la gendarmerie la plus proche.",
    "ATTENTION : LE DOSSIER DOIT ÊTRE COMPLET AVANT LE RENDEZ-VOUS.",
]


def generated_fiche(words: int = 1500, seed: int = 7) -> str:
    """A realistic fiche of at least `words` words, with front matter and sections."""
    rng = random.Random(seed)
    parts = [
        "---",
        "title: Demander une aide au logement",
        "summary: >-",
        "  Vous pouvez demander une aide pour payer votre loyer. La demande se fait en ligne.",
        "images:",
        "  - file: a-maison.svg",
        '    alt: "Une maison avec une clé."',
        "---",
        "",
    ]
    count = 0
    section = 0
    while count < words:
        section += 1
        parts += [f"## Partie {section}", ""]
        for _ in range(3):
            paragraph = " ".join(rng.choice(_SENTENCES) for _ in range(rng.randint(2, 4)))
            parts += [paragraph, ""]
            count += len(WORD.findall(paragraph))
        items = [f"- {rng.choice(_SENTENCES)}" for _ in range(3)]
        parts += items + [""]
        count += sum(len(WORD.findall(item)) for item in items)
    return "\n".join(parts)


def _time_ms(function, runs: int) -> list[float]:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def main() -> None:
    start = time.perf_counter()
    vocabulary = load_vocabulary()
    print(f"vocabulary: {len(vocabulary)} entries loaded in {(time.perf_counter() - start) * 1000:.0f} ms")
    start = time.perf_counter()
    vocabulary.find_terms("")
    print(f"term matcher compiled in {(time.perf_counter() - start) * 1000:.0f} ms (once per vocabulary)")

    fiche = generated_fiche()
    words = len(WORD.findall(fiche))
    first = _time_ms(lambda: check(fiche), 1)[0]
    timings = _time_ms(lambda: check(fiche), 21)
    print(f"generated fiche ({words} words, {len(fiche)} characters):")
    print(f"  first run (cold caches) {first:.1f} ms, median of 21 runs {statistics.median(timings):.1f} ms")

    try:
        files = collect_files(SITE_CONTENT)
    except InputError:
        print(f"{SITE_CONTENT}: no content to measure")
        return
    per_file = []
    for file in files:
        try:
            per_file.append(statistics.median(_time_ms(lambda: check_file(file), 5)))
        except InputError as error:
            print(f"  skipped {file}: {error}", file=sys.stderr)
    print(f"site/content ({len(per_file)} files):")
    print(
        f"  median per file {statistics.median(per_file):.1f} ms, slowest {max(per_file):.1f} ms, "
        f"all files {sum(per_file):.0f} ms"
    )


if __name__ == "__main__":
    main()
