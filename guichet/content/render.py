"""Markdown to HTML for fiches and events, with the first use of each glossary term linked.

The glossary link is a plain link whose text is only the words of the sentence, so a screen
reader reads the sentence as written ("Caisse d'allocations familiales (CAF)", never a
"(définition)" inserted between the name and its abbreviation). What the link leads to is said
once per page by the note its `aria-describedby` points to (GLOSSARY_NOTE_ID, in the fiche template).
"""
import re

import markdown

SKIPPED_TAGS = {"a", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre", "dfn"}
TAG_RE = re.compile(r"(<[^>]+>)")
TAG_NAME_RE = re.compile(r"<\s*(/)?\s*([a-zA-Z0-9]+)")
ABBREVIATION_RE = re.compile(r" \(([^()<>]{1,20})\)")
GLOSSARY_NOTE_ID = "terme-aide"


def markdown_to_html(source: str) -> str:
    """Render Markdown; headings shift so the body's `##` stays an h2 under the page h1."""
    return markdown.markdown(source, extensions=["sane_lists", "attr_list", "toc"],
                             extension_configs={"toc": {"slugify": _slugify_heading, "permalink": False}},
                             output_format="html")


def _slugify_heading(value: str, separator: str) -> str:
    from unicodedata import normalize
    ascii_value = normalize("NFKD", value).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", separator, ascii_value.lower()).strip(separator)


def link_glossary_terms(html: str, vocabulary, already_linked: set[str] | None = None) -> str:
    """Link the first occurrence of each glossary term found in text outside links and headings."""
    linked = set() if already_linked is None else already_linked
    skipped_depth = 0
    pieces = []
    for piece in TAG_RE.split(html):
        if piece.startswith("<"):
            match = TAG_NAME_RE.match(piece)
            if match and match.group(2).lower() in SKIPPED_TAGS and not piece.endswith("/>"):
                skipped_depth += -1 if match.group(1) else 1
            pieces.append(piece)
        elif skipped_depth > 0 or not piece.strip():
            pieces.append(piece)
        else:
            pieces.append(_link_text(piece, vocabulary, linked))
    return "".join(pieces)


def _link_text(text: str, vocabulary, linked: set[str]) -> str:
    output, cursor = [], 0
    for match in vocabulary.find_terms(text):
        if match.start < cursor or match.entry.slug in linked:
            continue
        linked.add(match.entry.slug)
        end = _with_abbreviation(text, match)
        output.append(text[cursor:match.start])
        output.append(glossary_link(match.entry.slug, text[match.start:end]))
        cursor = end
    output.append(text[cursor:])
    return "".join(output)


def _with_abbreviation(text: str, match) -> int:
    """Where the link ends: after "(CAF)" when the term's own abbreviation follows it in brackets."""
    following = ABBREVIATION_RE.match(text, match.end)
    if following and following.group(1).strip().lower() == match.entry.term.lower():
        return following.end()
    return match.end


def glossary_link(slug: str, surface_html: str) -> str:
    return f'<a class="terme" href="/glossaire/{slug}" aria-describedby="{GLOSSARY_NOTE_ID}">{surface_html}</a>'
