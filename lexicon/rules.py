"""Plain-language rules. Each rule reads the analysed document and yields findings.

Rules work on the masked prose of each block, so markup, code and addresses
never trigger them, and every offset maps back to the source file.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Callable, Iterator

from .config import Config
from .measures import Sentence, Stats, compute_stats, sentences_per_paragraph, split_sentences
from .normalize import fold_phrase
from .report import Finding
from .text import Block, Document
from .vocabulary import Match, Vocabulary

# Rule id → what it reports (shown by `python -m lexicon rules` and in the README).
RULES = {
    "lexique-remplacer": "mot du lexique à remplacer par un mot courant",
    "lexique-expliquer": "mot du lexique à expliquer (relié au glossaire sur le site)",
    "sigle-non-explique": "sigle pas écrit en toutes lettres à sa première apparition",
    "voix-passive": "phrase à la voix passive",
    "double-negation": "double négation",
    "style-lourd": "tournure administrative lourde",
    "lien-vague": "texte de lien qui ne dit pas où il mène, ou adresse web affichée",
    "image-alt": "image sans texte alternatif ou avec un texte alternatif inutile",
    "titres-niveaux": "titre qui saute un niveau",
    "majuscules": "phrase écrite en majuscules",
    "phrase-longue": "phrase trop longue",
    "paragraphe-long": "paragraphe de trop de phrases",
    "lisibilite": "score de lisibilité ou longueur moyenne des phrases hors objectif",
}


@dataclass
class Analysis:
    """Everything the rules need, computed once per document."""

    document: Document
    sentences: list[Sentence]
    terms: list[tuple[Block, Match]]  # match offsets are document offsets
    vocabulary: Vocabulary
    config: Config
    stats: Stats

    def finding(
        self, rule: str, severity: str, offset: int, message: str,
        suggestion: str | None = None, excerpt: str | None = None,
    ) -> Finding:
        line, col = self.document.position(offset)
        return Finding(rule, severity, line, col, message, suggestion, excerpt)


def analyse(document: Document, vocabulary: Vocabulary, config: Config) -> Analysis:
    sentences = [sentence for block in document.blocks for sentence in split_sentences(block)]
    terms = [
        (block, Match(block.start + m.start, block.start + m.end, m.entry, m.surface))
        for block in document.blocks
        for m in vocabulary.find_terms(block.text)
    ]
    stats = compute_stats(sentences, config.long_sentence_words)
    return Analysis(document, sentences, terms, vocabulary, config, stats)


def run_rules(analysis: Analysis) -> list[Finding]:
    disabled = analysis.config.disabled_rules
    findings = [f for check in CHECKS for f in check(analysis) if f.rule not in disabled]
    return sorted(findings, key=Finding.sort_key)


# --- helpers -------------------------------------------------------------------

_CATEGORY_PHRASES = {
    "jargon administratif": "du jargon administratif",
    "sigle": "un sigle",
    "terme juridique": "un terme juridique",
    "anglicisme": "un anglicisme",
    "mot long ou rare": "un mot long ou rare",
}


def _quote_list(words: tuple[str, ...] | list[str]) -> str:
    return " ou ".join(f"« {word} »" for word in words)


def _local(block: Block, offset: int) -> int:
    return offset - block.start


def _excerpt(sentence: Sentence, words: int = 8) -> str:
    shown = " ".join(word.text for word in sentence.words[:words])
    return shown + (" …" if len(sentence.words) > words else "")


def _is_capitalised_word(word: str) -> bool:
    return len(word) >= 2 and word.isupper()


def _is_shouted(sentence: Sentence) -> bool:
    """Mostly capitals: at least 4 all-caps words making half of the sentence or more."""
    capitalised = sum(1 for word in sentence.words if _is_capitalised_word(word.text))
    return capitalised >= 4 and capitalised * 2 >= len(sentence.words)


class _Spans:
    """Sorted, non-overlapping spans with a fast "does this offset fall inside" test."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self._spans = sorted(spans)
        self._starts = [start for start, _ in self._spans]

    def __contains__(self, offset: int) -> bool:
        index = bisect.bisect_right(self._starts, offset) - 1
        return index >= 0 and offset < self._spans[index][1]


# --- vocabulary rules -----------------------------------------------------------


def _what_it_is(match: Match) -> str:
    """"un sigle" for "ARE", but "un nom administratif" for its spelled-out form."""
    entry = match.entry
    if entry.expansion and fold_phrase(match.surface) == fold_phrase(entry.expansion):
        return "un nom administratif"
    return _CATEGORY_PHRASES[entry.category]


_PAIR_GAP = re.compile(r"\s*\(\s*$")


def lexique_remplacer(a: Analysis) -> Iterator[Finding]:
    """Every occurrence, except the second half of a "full name (ACRONYM)" pair."""
    previous: tuple[Block, Match] | None = None
    for block, match in a.terms:
        entry = match.entry
        is_pair = (
            previous is not None
            and previous[0] is block
            and previous[1].entry is entry
            and _PAIR_GAP.match(block.text[_local(block, previous[1].end) : _local(block, match.start)])
        )
        previous = (block, match)
        if entry.level != "à remplacer" or is_pair:
            continue
        if entry.replacements:
            suggestion = f"Écrivez plutôt {_quote_list(entry.replacements)}."
        elif entry.expansion:
            suggestion = f"Écrivez en toutes lettres : « {entry.expansion} »."
        else:
            suggestion = f"Dites-le avec des mots simples : {entry.definition}"
        yield a.finding(
            "lexique-remplacer", "error", match.start,
            f"« {match.surface} » est {_what_it_is(match)} difficile à comprendre.",
            suggestion, match.surface,
        )


_EXPLAINED_AFTER = re.compile(r"\s*(?:\(|,?\s*(?:c['’]est-à-dire|c\.-à-d\.|autrement dit)\b)", re.I)
_EXPLAINED_BEFORE = re.compile(r"(?:\(|\b(?:appel|nomm)ée?s?|\bdite?s?)\s*$", re.I)


def _explained_in_place(block: Block, start: int, end: int) -> bool:
    """"terme (explication)", "explication (TERME)" or "terme, c'est-à-dire …"."""
    local_start, local_end = _local(block, start), _local(block, end)
    return bool(
        _EXPLAINED_AFTER.match(block.text, local_end)
        or _EXPLAINED_BEFORE.search(block.text[max(0, local_start - 12) : local_start])
    )


def lexique_expliquer(a: Analysis) -> Iterator[Finding]:
    """First occurrence only: once explained (or linked), later ones are fine."""
    seen: set[str] = set()
    for block, match in a.terms:
        entry = match.entry
        if entry.level == "à remplacer" or entry.slug in seen:
            continue
        seen.add(entry.slug)
        if _explained_in_place(block, match.start, match.end):
            continue
        if a.config.glossary_links:
            yield a.finding(
                "lexique-expliquer", "info", match.start,
                f"« {match.surface} » sera relié à sa définition dans le glossaire.",
                f"Vous pouvez aussi l'expliquer dans la phrase : {entry.definition}", match.surface,
            )
        else:
            yield a.finding(
                "lexique-expliquer", "warning", match.start,
                f"« {match.surface} » est {_what_it_is(match)} : "
                "expliquez-le la première fois qu'il apparaît.",
                f"Par exemple : {entry.definition}", match.surface,
            )


# --- acronyms -------------------------------------------------------------------

# Codes are not acronyms: number plates "AB-123-CD" and "123 AB 01".
_ACRONYM = re.compile(r"(?<![\w-])(?<!\d )(?=(?:[0-9&]*[A-Z]){2})[A-Z0-9&]{2,8}(?![\w-])")
_ROMAN_NUMERAL = re.compile(r"^M{0,4}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")
# Known to everyone (school classes included), or not acronyms at all.
ACRONYM_ALLOWLIST = frozenset(
    {"OK", "TV", "PDF", "SMS", "GPS", "USB", "WC", "PC", "CD", "DVD", "WIFI", "CP", "CE1", "CE2", "CM1", "CM2"}
)


def _acronym_explained(block: Block, found: re.Match[str]) -> bool:
    """"Nom complet (SIGLE)", "SIGLE (nom complet)" or "SIGLE, c'est-à-dire …"."""
    before = block.text[max(0, found.start() - 12) : found.start()]
    return bool(_EXPLAINED_AFTER.match(block.text, found.end()) or _EXPLAINED_BEFORE.search(before))


def sigle_non_explique(a: Analysis) -> Iterator[Finding]:
    """First use of each acronym only; shouted sentences are left to `majuscules`."""
    seen: set[str] = set()
    for sentence in a.sentences:
        if _is_shouted(sentence):
            continue
        block = sentence.block
        for found in _ACRONYM.finditer(block.text, _local(block, sentence.start), _local(block, sentence.end)):
            acronym = found.group()
            if acronym in seen or acronym in ACRONYM_ALLOWLIST or _ROMAN_NUMERAL.match(acronym):
                continue
            seen.add(acronym)
            if a.vocabulary.lookup(acronym) or _acronym_explained(block, found):
                continue  # known acronyms are handled by the vocabulary rules and the glossary
            yield a.finding(
                "sigle-non-explique", "warning", block.start + found.start(),
                f"Le sigle « {acronym} » n'est pas expliqué.",
                f"La première fois, écrivez le nom en entier suivi du sigle : « nom complet ({acronym}) ».",
                acronym,
            )


# --- grammar and style ------------------------------------------------------------

_AUXILIARY = (
    r"(?:(?:ai|as|a|avons|avez|ont|avais|avait|avions|aviez|avaient|aura|auras|aurons|aurez|auront"
    r"|aurais|aurait|aurions|auriez|auraient)\s+été"
    r"|être|suis|tu\s+es|est|nous\s+sommes|êtes|sont|étais|était|étions|étiez|étaient"
    r"|serai|seras|sera|serons|serez|seront|serais|serait|serions|seriez|seraient"
    r"|sois|soit|soyons|soyez|soient|fut|furent)"
)
_ADVERB = (
    r"(?:pas|plus|jamais|bien|déjà|toujours|souvent|parfois|aussi|également|ensuite|alors|encore"
    r"|automatiquement|obligatoirement|généralement|directement|immédiatement|rapidement|ainsi"
    r"|tout|vite|mal|rarement|systématiquement|normalement|très|trop|moins)"
)
_PASSIVE = re.compile(rf"(?<![\w-])(?=\w)({_AUXILIARY})(?:\s+{_ADVERB})*\s+([^\W\d_]+)(?![\w'’-])", re.I)
_PARTICIPLE_ENDING = re.compile(
    r"(?:é|ée|és|ées|i|ie|is|ies|u|ue|us|ues|it|ite|its|ites"
    r"|ert|erte|erts|ertes|eint|einte|eints|eintes|aint|ainte|aints|aintes|oint|ointe|oints|ointes)$"
)
_NOT_PARTICIPLE_ENDING = re.compile(r"(?:que|gue)s?$")  # "publique", "longue": adjectives
_IRREGULAR_PARTICIPLES = frozenset(
    {"mort", "morte", "morts", "mortes", "dû", "due", "dus", "dues", "clos", "close", "closes", "dissous", "dissoute"}
)


def _inflections(*words: str) -> frozenset[str]:
    """Masculine singular → the four forms: "né" → né, née, nés, nées."""
    forms: set[str] = set()
    for word in words:
        forms.update({word, word + "e", word + "es", word if word.endswith("s") else word + "s"})
    return frozenset(forms)


# Words after « être » that end like a participle but describe a state, or are
# not participles at all. "Il est né", "la mairie est ouverte", "vous êtes
# concerné" are normal, clear French: they are not reported.
NOT_PASSIVE = _inflections(
    # « être » + these is a compound past in the active voice: "il est parti".
    "allé", "venu", "arrivé", "parti", "entré", "sorti", "monté", "descendu", "tombé", "resté",
    "retourné", "revenu", "devenu", "rentré", "intervenu", "parvenu", "survenu", "apparu", "mort",
) | _inflections(
    "né", "situé", "concerné", "âgé", "marié", "pacsé", "divorcé", "décédé", "domicilié", "inscrit",
    "ouvert", "fermé", "compris", "inclus", "destiné", "réservé", "connu", "salarié", "retraité",
    "handicapé", "séparé", "logé", "hébergé", "périmé", "abîmé", "gratuit", "petit", "joli", "ravi",
    "assis", "enceint", "éteint", "apprenti", "satisfait", "content",
) | frozenset(
    "sous vous nous tous plus ici aussi ainsi parmi lui celui qui quoi oui si ni du au tu mais puis depuis "
    "jamais parfois fois trois mois lundi mardi mercredi jeudi vendredi samedi dimanche midi minuit "
    "nuit huit droit crédit esprit circuit lit jus bus virus campus bonus dessus menu tissu revenu".split()
)


def _is_participle(word: str) -> bool:
    word = word.lower()
    if word in NOT_PASSIVE:
        return False
    if word in _IRREGULAR_PARTICIPLES:
        return True
    return bool(_PARTICIPLE_ENDING.search(word)) and not _NOT_PARTICIPLE_ENDING.search(word)


_REFLEXIVE_BEFORE = re.compile(r"(?:\b(?:me|te|se)\s+|\b[mts]['’]|\bvous\s+vous\s+|\bnous\s+nous\s+)$", re.I)
_NEGATION_BEFORE = re.compile(r"(?:\bn['’]|\bne\s+)$", re.I)


def _is_passive(text: str, found: re.Match[str]) -> bool:
    """Not "vous vous êtes inscrit" (pronominal) nor "est plus élevé", "est très connu"
    (adjectives); "n'est plus envoyé" is a negation, and passive."""
    before = text[max(0, found.start() - 20) : found.start()]
    if _REFLEXIVE_BEFORE.search(before) or re.search(r"\b(?:très|trop|moins)\b", found.group(), re.I):
        return False
    if re.search(r"\bplus\b", found.group(), re.I) and not _NEGATION_BEFORE.search(before):
        return False
    return _is_participle(found.group(2))


def voix_passive(a: Analysis) -> Iterator[Finding]:
    for block in a.document.blocks:
        for found in _PASSIVE.finditer(block.text):
            if not _is_passive(block.text, found):
                continue
            excerpt = re.sub(r"\s+", " ", found.group())
            yield a.finding(
                "voix-passive", "warning", block.start + found.start(),
                f"« {excerpt} » est à la voix passive : on ne sait pas qui agit.",
                "Dites qui fait l'action : « La mairie envoie votre carte » "
                "plutôt que « Votre carte est envoyée ».",
                excerpt,
            )


_NEGATIVE_ADJECTIVES = {
    "impossible": "possible", "impossibles": "possibles", "inutile": "utile", "inutiles": "utiles",
    "interdit": "autorisé", "interdite": "autorisée", "interdits": "autorisés", "interdites": "autorisées",
    "illégal": "légal", "illégale": "légale", "illégaux": "légaux", "illégales": "légales",
    "incorrect": "correct", "incorrecte": "correcte", "inexact": "exact", "inexacte": "exacte",
    "incomplet": "complet", "incomplète": "complète", "invalide": "valable", "inconnu": "connu",
    "inconnue": "connue", "rare": "fréquent", "rares": "fréquents", "exclu": "possible", "exclue": "possible",
}
_SOFTENER = r"(?:(?:très|forcément|toujours|si|aussi|tout à fait|complètement)\s+)?"
# Words in im-/in-…-able that are not negations: « pas imposable » is plain French.
_NOT_NEGATIVE = r"(?!(?:imposable|imputable|immuable|inscriptible)s?\b)"
_DOUBLE_NEGATIONS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (
        re.compile(r"\b(?:pas|plus|jamais|guère|non)\s+sans\b", re.I),
        lambda m: "Dites-le de façon positive : « avec votre accord » plutôt que « pas sans votre accord ».",
    ),
    (
        re.compile(r"\bpas\s+non\s+plus\b", re.I),
        lambda m: "Dites ce qui est possible ou demandé, plutôt que ce qui ne l'est pas.",
    ),
    (
        re.compile(rf"\b(?:pas|plus|jamais|guère)\s+{_SOFTENER}({'|'.join(_NEGATIVE_ADJECTIVES)})\b", re.I),
        lambda m: f"Dites-le de façon positive : « {_NEGATIVE_ADJECTIVES[m.group(1).lower()]} ».",
    ),
    (
        re.compile(
            rf"\b(?:pas|plus|jamais|guère)\s+{_SOFTENER}{_NOT_NEGATIVE}((?:in|im|il|ir)\w*(?:able|ible)s?)\b", re.I
        ),
        lambda m: f"Dites-le de façon positive, sans « pas » ni « {m.group(1)} ».",
    ),
    (
        re.compile(r"\bnon\s+(?:négligeable|nul|nulle|dénué|dénuée|dépourvu|dépourvue)s?\b", re.I),
        lambda m: "Dites-le de façon positive : « important », « réel ».",
    ),
]


def double_negation(a: Analysis) -> Iterator[Finding]:
    for block in a.document.blocks:
        found_at: set[int] = set()
        for pattern, suggest in _DOUBLE_NEGATIONS:
            for found in pattern.finditer(block.text):
                if found.start() in found_at:
                    continue
                found_at.add(found.start())
                excerpt = re.sub(r"\s+", " ", found.group())
                yield a.finding(
                    "double-negation", "warning", block.start + found.start(),
                    f"Double négation : « {excerpt} ». Elle oblige à relire la phrase.",
                    suggest(found), excerpt,
                )


_DE = r"d(?:e\b|u\b|es\b|['’])"
# (pattern, severity, suggestion); patterns have no capturing group.
HEAVY_PHRASES: list[tuple[str, str, str]] = [
    (rf"\bil (?:vous )?convient {_DE}", "warning", "Écrivez « vous devez » ou « il faut »."),
    (
        rf"\bil est (?:nécessaire|indispensable|obligatoire|impératif) {_DE}",
        "warning", "Écrivez « vous devez ».",
    ),
    (
        r"\bil (?:vous )?appartient (?:à|au|aux)\b",
        "warning", "Dites qui doit agir : « vous devez… », « la mairie doit… ».",
    ),
    (
        r"\bprocéd(?:er|ez|ons|e|ent|é|era|erez|eront|erons)\s+(?:à\s+(?:la\b|l['’]|une?\b|votre\b|vos\b)|aux?\b)",
        "warning", "Utilisez directement le verbe : « payer » plutôt que « procéder au paiement ».",
    ),
    (
        r"\beffectu(?:er|ez|e|ent|é|ée|és|ées|ons)\s+(?:une|la|les|votre|vos|cette|ces|des)\s+démarches?\b",
        "warning", "Écrivez « faire la démarche », ou nommez l'action : « demander », « payer ».",
    ),
    (rf"\ben mesure {_DE}", "warning", "Écrivez « pouvoir » : « vous pouvez… »."),
    (rf"\bdans le cadre {_DE}", "warning", "Écrivez « pour » ou « lors de »."),
    (rf"\bafin (?:{_DE}|que\b)", "info", "Écrivez simplement « pour » (ou « pour que »)."),
    (rf"\bau titre {_DE}", "warning", "Écrivez « pour » ou « comme »."),
    (r"\ben date du\b", "warning", "Écrivez simplement « du » ou « le » et la date."),
    (
        r"\b(?:ledit|ladite|lesdit(?:e)?s|dudit|desdit(?:e)?s|susdit(?:e)?s?|susmentionn[ée]e?s?)\b",
        "warning", "Écrivez « ce », « cette » ou « ces ».",
    ),
    (r"\bci-après\b", "warning", "Écrivez « plus bas », ou nommez la partie concernée."),
    (rf"\bà compter {_DE}", "warning", "Écrivez « à partir de »."),
    (rf"\ben vue {_DE}", "warning", "Écrivez « pour »."),
    (r"\bconformément (?:à|au|aux)\b", "warning", "Écrivez « selon »."),
    (rf"\ben application {_DE}", "warning", "Écrivez « selon »."),
    (r"\bpréalablement\b", "warning", "Écrivez « avant » ou « d'abord »."),
    (rf"\bs['’]agissant {_DE}", "warning", "Écrivez « pour »."),
    (rf"\baux fins {_DE}", "warning", "Écrivez « pour »."),
    (rf"\bil (?:vous )?est demandé {_DE}", "warning", "Écrivez « vous devez »."),
    (
        r"\bil est à noter que\b",
        "warning", "Supprimez cette formule et donnez directement l'information.",
    ),
    (rf"\bsous réserve {_DE}", "warning", "Écrivez « si » ou « à condition de »."),
    (r"\bnonobstant\b", "warning", "Écrivez « malgré »."),
    (rf"\bpar (?:la )?voie {_DE}", "warning", "Écrivez simplement « par »."),
    (r"\ble cas échéant\b", "warning", "Écrivez « si c'est le cas » ou « si besoin »."),
    (
        rf"\b(?:fai(?:re|t|s)|font|fera|feront|fass(?:e|ent))\s+l['’]objet {_DE}",
        "warning",
        "Utilisez un verbe : « la demande est refusée » plutôt que « la demande fait l'objet d'un refus ».",
    ),
    (
        r"\b(?:mettre|met|mettent|mis|mise|mises)\s+en\s+(?:œ|oe)uvre\b",
        "warning", "Écrivez « faire » ou « appliquer ».",
    ),
    (
        r"\bveuillez\b",
        "info", "Utilisez directement l'impératif : « envoyez » plutôt que « veuillez envoyer ».",
    ),
]
# One pass per block, trying the phrases only at word starts; a space in a
# pattern also matches a line break.
_HEAVY = re.compile(
    r"(?<!\w)(?=\w)(?:"
    + "|".join(f"(?P<h{i}>{pattern})".replace(" ", r"\s+") for i, (pattern, _, _) in enumerate(HEAVY_PHRASES))
    + ")",
    re.I,
)


def style_lourd(a: Analysis) -> Iterator[Finding]:
    """A phrase already reported as a vocabulary term is not reported twice."""
    covered = _Spans([(match.start, match.end) for _, match in a.terms])
    for block in a.document.blocks:
        for found in _HEAVY.finditer(block.text):
            offset = block.start + found.start()
            if offset in covered:
                continue
            _, severity, suggestion = HEAVY_PHRASES[int(found.lastgroup[1:])]
            excerpt = re.sub(r"\s+", " ", found.group())
            yield a.finding(
                "style-lourd", severity, offset, f"Tournure lourde : « {excerpt} ».", suggestion, excerpt
            )


# --- links, images, headings ---------------------------------------------------------

VAGUE_LINK_TEXTS = frozenset(
    fold_phrase(text)
    for text in (
        "cliquez ici", "cliquer ici", "clique ici", "ici", "là", "lien", "ce lien", "le lien", "voir",
        "voir ici", "en savoir plus", "pour en savoir plus", "savoir plus", "plus d'infos",
        "plus d'info", "plus d'informations", "plus d'information", "lire la suite", "la suite",
        "suite", "cette page", "page", "click here", "here", "read more",
    )
)
_CLICK_HERE = re.compile(r"\bclique[rz]?\s+ici\b", re.I)


def lien_vague(a: Analysis) -> Iterator[Finding]:
    link_texts = _Spans([(link.offset, link.offset + len(link.text) + 2) for link in a.document.links])
    for link in a.document.links:
        if link.bare:
            yield a.finding(
                "lien-vague", "warning", link.offset,
                f"Adresse web affichée telle quelle : « {link.text} ».",
                "Écrivez un texte qui dit où mène le lien : "
                "[Demande de carte d'identité (Service-Public.fr)](https://…).",
                link.text,
            )
        elif fold_phrase(link.text.strip(" .:!?…*_")) in VAGUE_LINK_TEXTS:
            yield a.finding(
                "lien-vague", "warning", link.offset,
                f"Le texte du lien « {link.text.strip()} » ne dit pas où il mène.",
                "Écrivez la destination dans le lien : « Formulaire de demande de carte d'identité ».",
                link.text.strip(),
            )
    for block in a.document.blocks:
        for found in _CLICK_HERE.finditer(block.text):
            offset = block.start + found.start()
            if offset not in link_texts:
                yield a.finding(
                    "lien-vague", "warning", offset,
                    f"« {found.group()} » ne dit pas où mène le lien.",
                    "Faites du nom de la destination le texte du lien.", found.group(),
                )


_FILE_NAME_LIKE = re.compile(r"\.(?:svg|png|jpe?g|gif|webp|avif)\b|^[\w-]*[-_][\w-]*$", re.I)


def image_alt(a: Analysis) -> Iterator[Finding]:
    page_title = fold_phrase(a.document.title) if a.document.title else None
    for image in a.document.images:
        if image.decorative:
            continue
        alt = (image.alt or "").strip()
        name = image.file or "sans nom"
        if not alt:
            yield a.finding(
                "image-alt", "error", image.offset,
                f"L'image « {name} » n'a pas de texte alternatif.",
                "Décrivez en une phrase ce que montre l'image. Si elle est purement décorative, "
                "déclarez-la dans le front matter avec « decorative: true ».",
                name,
            )
        elif _FILE_NAME_LIKE.search(alt):
            yield a.finding(
                "image-alt", "warning", image.alt_offset or image.offset,
                f"Le texte alternatif « {alt} » ressemble à un nom de fichier.",
                "Décrivez ce que montre l'image, en une phrase.", alt,
            )
        elif fold_phrase(alt) in {fold_phrase(image.caption or ""), page_title}:
            yield a.finding(
                "image-alt", "warning", image.alt_offset or image.offset,
                f"Le texte alternatif « {alt} » répète le titre ou la légende.",
                "Décrivez ce que montre l'image, sans répéter le texte qui l'entoure.", alt,
            )


def _line_start(document: Document, offset: int) -> int:
    """Offset of the first non-blank character of the line holding `offset`."""
    start = document.text.rfind("\n", 0, offset) + 1
    line = document.text[start:offset]
    return start + len(line) - len(line.lstrip())


def titres_niveaux(a: Analysis) -> Iterator[Finding]:
    """The page title is level 1, so the body starts at level 2 (##)."""
    previous = 1
    for block in a.document.blocks:
        if block.kind != "heading":
            continue
        text = block.text.strip()
        offset = _line_start(a.document, block.start)
        if block.level == 1 and a.document.title:
            yield a.finding(
                "titres-niveaux", "warning", offset,
                f"« {text} » est un titre de niveau 1, comme le titre de la page.",
                "Utilisez « ## » pour les parties de la fiche.", text,
            )
        elif block.level > previous + 1:
            yield a.finding(
                "titres-niveaux", "warning", offset,
                f"Le titre « {text} » saute un niveau : niveau {block.level} après un niveau {previous}.",
                f"Utilisez un titre de niveau {previous + 1} ({'#' * (previous + 1)}).", text,
            )
        previous = block.level


# --- sentences and whole text ------------------------------------------------------


def majuscules(a: Analysis) -> Iterator[Finding]:
    for sentence in a.sentences:
        if _is_shouted(sentence):
            first = next(w for w in sentence.words if _is_capitalised_word(w.text))
            yield a.finding(
                "majuscules", "warning", first.start,
                "Phrase écrite en majuscules : elle est plus difficile à lire.",
                "Écrivez en minuscules. Pour insister, utilisez le gras ou une phrase courte.",
                _excerpt(sentence),
            )


def phrase_longue(a: Analysis) -> Iterator[Finding]:
    limit = a.config.long_sentence_words
    for sentence in a.sentences:
        if len(sentence.words) > limit:
            yield a.finding(
                "phrase-longue", "warning", sentence.start,
                f"Phrase trop longue : {len(sentence.words)} mots (maximum conseillé : {limit}).",
                "Coupez-la en phrases plus courtes, avec une seule idée par phrase.",
                _excerpt(sentence),
            )


def paragraphe_long(a: Analysis) -> Iterator[Finding]:
    limit = a.config.paragraph_max_sentences
    for start, count in sentences_per_paragraph(a.sentences).items():
        if count > limit:
            yield a.finding(
                "paragraphe-long", "warning", start,
                f"Paragraphe trop long : {count} phrases (maximum conseillé : {limit}).",
                "Coupez-le en paragraphes plus courts, ou faites une liste.",
            )


def _number(value: float, digits: int) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def lisibilite(a: Analysis) -> Iterator[Finding]:
    stats, config = a.stats, a.config
    if stats.reading_ease is None or stats.words < config.min_words_for_readability:
        return
    problems, severity = [], None
    score, wps = stats.reading_ease, stats.words_per_sentence
    if score < config.score_warning:
        severity = "error" if score < config.score_error else "warning"
        problems.append(
            f"score de lisibilité {_number(score, 0)} (objectif : {_number(config.score_warning, 0)} ou plus)"
        )
    if wps > config.words_per_sentence_warning:
        if wps > config.words_per_sentence_error:
            severity = "error"
        severity = severity or "warning"
        problems.append(
            f"{_number(wps, 1)} mots par phrase en moyenne "
            f"(objectif : {_number(config.words_per_sentence_warning, 0)} au plus)"
        )
    if problems:
        yield a.finding(
            "lisibilite", severity, 0,
            "Texte difficile à lire : " + " ; ".join(problems) + ".",
            "Écrivez des phrases plus courtes, avec des mots courants.",
        )


CHECKS: tuple[Callable[[Analysis], Iterator[Finding]], ...] = (
    lexique_remplacer,
    lexique_expliquer,
    sigle_non_explique,
    voix_passive,
    double_negation,
    style_lourd,
    lien_vague,
    image_alt,
    titres_niveaux,
    majuscules,
    phrase_longue,
    paragraphe_long,
    lisibilite,
)
