"""Turn a fiche (Markdown + YAML front matter), a plain text or a démarche
definition (YAML) into prose blocks whose offsets point into the source.

Each `Block` carries its own copy of the prose where markup (link targets,
code, HTML tags, URLs, emphasis marks…) is replaced by spaces. The copy has the
same length as the source span, so any offset found in it maps back to the
file's line and column without bookkeeping.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import yaml

MAX_BYTES = 1_048_576  # 1 MiB: a fiche is a few KB; larger inputs are refused


class InputError(ValueError):
    """Unreadable input; carries a French and an English message for the CLI."""

    def __init__(self, message_fr: str, message_en: str, *, filename: str | None = None, line: int | None = None):
        self.message_fr, self.message_en = message_fr, message_en
        self.filename, self.line = filename, line
        super().__init__(f"{self.location()}{message_fr} / {message_en}")

    def in_file(self, filename: str | None) -> "InputError":
        """The same error, naming the file it comes from."""
        return InputError(self.message_fr, self.message_en, filename=filename, line=self.line)

    def location(self) -> str:
        if not self.filename:
            return f"ligne {self.line} : " if self.line else ""
        return f"{self.filename}:{self.line}: " if self.line else f"{self.filename}: "


@dataclass(frozen=True)
class Block:
    """A piece of prose: heading, paragraph, list item, table cell, alt text…"""

    kind: str  # title | summary | alt | heading | paragraph | item | cell | field
    start: int
    text: str
    level: int = 0  # heading level; the page title is level 1


@dataclass(frozen=True)
class Image:
    offset: int  # where a finding about the image is reported
    alt: str | None
    file: str | None
    caption: str | None  # Markdown image title or front-matter caption/title
    decorative: bool = False
    alt_offset: int | None = None


@dataclass(frozen=True)
class Link:
    offset: int  # position of "[" for a Markdown link, of the address for a bare one
    text: str
    bare: bool = False  # an address shown as text instead of words


@dataclass
class Document:
    text: str
    blocks: list[Block] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    title: str | None = None  # front-matter title: the page's level-1 heading

    def __post_init__(self) -> None:
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of an offset, counted in characters."""
        line = bisect.bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1


# --- reading ---------------------------------------------------------------


def read_source(path: str | Path) -> str:
    """Read a UTF-8 file, refusing missing, huge, non-UTF-8 or empty input."""
    path = Path(path)
    name = str(path)
    if not path.is_file():
        raise InputError("fichier introuvable.", "file not found.", filename=name)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise InputError(
            f"fichier trop gros ({size} octets, maximum {MAX_BYTES}) : une fiche doit rester courte.",
            f"file too large ({size} bytes, limit {MAX_BYTES}).",
            filename=name,
        )
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(
            f"le fichier n'est pas en UTF-8 (octet invalide en position {error.start}). Enregistrez-le en UTF-8.",
            "file is not valid UTF-8.",
            filename=name,
            line=line,
        ) from None
    if not text.removeprefix("\ufeff").strip():
        raise InputError("le fichier est vide.", "file is empty.", filename=name)
    return text


def normalise_source(text: str) -> str:
    """Drop a byte-order mark and use "\\n" line ends; lines and columns are unchanged."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise InputError(
            f"texte trop long (plus de {MAX_BYTES} octets) : une fiche doit rester courte.",
            f"text too long (over {MAX_BYTES} bytes).",
        )
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def parse(text: str, *, filename: str | None = None) -> Document:
    """Parse a fiche or plain text; a .yaml/.yml filename means a démarche definition."""
    text = normalise_source(text)
    if filename and filename.endswith((".yaml", ".yml")):
        return _parse_form(text, filename)
    return _parse_markdown(text, filename)


# --- inline masking ------------------------------------------------------------


def blank(text: str) -> str:
    """Spaces in place of every character except line breaks."""
    return "\n".join(" " * len(line) for line in text.split("\n"))


def _blank_match(match: re.Match[str]) -> str:
    return blank(match.group())


_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
_HTML_COMMENT = re.compile(r"<!--(?:(?!<!--).)*?-->", re.S)
_IMAGE = re.compile(r"!\[([^\[\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+[\"']([^\"'\n]*)[\"'])?\s*\)")
_LINK = re.compile(r"\[([^\[\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'][^\"'\n]*[\"'])?\s*\)")
_REF_LINK = re.compile(r"\[([^\[\]]+)\]\[([^\[\]]*)\]")
_AUTOLINK = re.compile(r"<((?:https?://|www\.)[^>\s]+)>")
_EMAIL = re.compile(r"(?<![\w.+-])<?[\w.+-]+@[\w-]+(?:\.[\w-]+)+>?")
_HTML_ANCHOR = re.compile(r"<a\b[^<>]*>((?:(?!</?a\b).)*?)</a\s*>", re.S | re.I)
_HTML_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)((?:\s[^<>]*)?)/?>")
_HTML_ATTR = re.compile(r"""(?<![\w-])([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_BARE_URL = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]«»]*[^\s<>()\[\]«».,;:!?'\"’]")
_FOOTNOTE = re.compile(r"\[\^[^\[\]]+\]")
_ENTITY = re.compile(r"&(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);")
_ESCAPE = re.compile(r"\\(?=[!-/:-@\[-`{-~])")
_EMPHASIS = re.compile(r"\*+|~~|(?<!\w)_+|_+(?!\w)")
_QUOTE_MARK = re.compile(r"^[ \t]*>[ \t]?", re.M)
_TASK_BOX = re.compile(r"^\[[ xX]\](?=\s)")
_SIMPLE_MASKS = (("&", _ENTITY), ("\\", _ESCAPE), ("*_~", _EMPHASIS), (">", _QUOTE_MARK), ("[", _TASK_BOX))
_URL_TEXT = re.compile(r"^\s*(?:https?://|www\.)\S+\s*$")


class _Builder:
    """Collects blocks, links and images while masking inline markup."""

    def __init__(self, text: str) -> None:
        self.document = Document(text)

    def add(self, kind: str, start: int, end: int, level: int = 0, source: str | None = None) -> None:
        """Mask inline markup of source[start:end] and keep it as a block if any prose is left.

        Each pattern runs only when its trigger character is present: most
        blocks are short sentences with little markup.
        """
        work = self.document.text[start:end] if source is None else source
        if "`" in work:
            work = _CODE_SPAN.sub(_blank_match, work)
        if "<!--" in work:
            work = _HTML_COMMENT.sub(_blank_match, work)
        if "[" in work:
            work = _IMAGE.sub(lambda m: self._markdown_image(m, start), work)
            work = _LINK.sub(lambda m: self._link(m, start), work)
            work = _REF_LINK.sub(lambda m: " " + m.group(1) + blank(m.group()[len(m.group(1)) + 1 :]), work)
            work = _FOOTNOTE.sub(_blank_match, work)
        if "<" in work:
            work = _AUTOLINK.sub(lambda m: self._bare_url(m, start, m.start(1)), work)
        if "@" in work:
            work = _EMAIL.sub(_blank_match, work)
        if "<" in work:
            work = _HTML_ANCHOR.sub(lambda m: self._html_link(m, start), work)
            work = _HTML_TAG.sub(lambda m: self._html_tag(m, start), work)
        if "http" in work or "www." in work:
            work = _BARE_URL.sub(lambda m: self._bare_url(m, start, m.start()), work)
        for triggers, pattern in _SIMPLE_MASKS:
            if any(trigger in work for trigger in triggers):
                work = pattern.sub(_blank_match, work)
        if work.strip():
            self.document.blocks.append(Block(kind, start, work, level))

    def _markdown_image(self, match: re.Match[str], base: int) -> str:
        alt = match.group(1)
        self.document.images.append(
            Image(
                offset=base + match.start(),
                alt=alt,
                file=match.group(2),
                caption=match.group(3),
                alt_offset=base + match.start(1),
            )
        )
        if alt.strip():
            self.document.blocks.append(Block("alt", base + match.start(1), alt))
        return blank(match.group())

    def _link(self, match: re.Match[str], base: int) -> str:
        label = match.group(1)
        is_url = bool(_URL_TEXT.match(label))
        self.document.links.append(Link(base + match.start(), label, bare=is_url))
        shown = blank(label) if is_url else label
        return " " + shown + blank(match.group()[len(label) + 1 :])

    def _bare_url(self, match: re.Match[str], base: int, url_start: int) -> str:
        url = match.group(1) if match.re is _AUTOLINK else match.group()
        self.document.links.append(Link(base + url_start, url, bare=True))
        return blank(match.group())

    def _html_link(self, match: re.Match[str], base: int) -> str:
        """<a href="…">text</a>: keep the text, like a Markdown link."""
        label = _HTML_TAG.sub(_blank_match, match.group(1))
        self.document.links.append(Link(base + match.start(), label))
        opening = match.group()[: match.start(1) - match.start()]
        closing = match.group()[match.end(1) - match.start() :]
        return blank(opening) + match.group(1) + blank(closing)

    def _html_tag(self, match: re.Match[str], base: int) -> str:
        if match.group(1).lower() == "img":
            self._html_image(match, base)
        return blank(match.group())

    def _html_image(self, match: re.Match[str], base: int) -> None:
        attrs = {}
        for attr in _HTML_ATTR.finditer(match.group(2)):
            value_group = 2 if attr.group(2) is not None else 3
            attrs[attr.group(1).lower()] = (attr.group(value_group), match.start(2) + attr.start(value_group))
        alt, alt_start = attrs.get("alt", (None, None))
        self.document.images.append(
            Image(
                offset=base + match.start(),
                alt=alt,
                file=attrs.get("src", (None,))[0],
                caption=attrs.get("title", (None,))[0],
                alt_offset=None if alt_start is None else base + alt_start,
            )
        )
        if alt and alt.strip():
            self.document.blocks.append(Block("alt", base + alt_start, alt))


# --- front matter ------------------------------------------------------------

_FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)


def _split_front_matter(text: str) -> tuple[str, int, int] | None:
    """(yaml text, its offset, body offset) when the text opens with a `---` line."""
    first_line_end = text.find("\n")
    first_line = text if first_line_end < 0 else text[:first_line_end]
    if first_line.rstrip() != "---":
        return None
    yaml_start = len(text) if first_line_end < 0 else first_line_end + 1
    closing = _FRONT_MATTER_END.search(text, yaml_start)
    if closing is None:
        raise InputError(
            "le front matter n'est pas fermé : ajoutez une ligne « --- » après les métadonnées.",
            "front matter is not closed: add a '---' line after it.",
            line=1,
        )
    body_start = min(len(text), closing.end() + 1)
    return text[yaml_start : closing.start()], yaml_start, body_start


def yaml_problem(error: yaml.YAMLError, line_offset: int = 0) -> tuple[int | None, str, int | None]:
    """(line where the parser stopped, problem, line where the faulty part started).

    Lines are 1-based, in the file. The start line is given only when it
    differs: an unclosed bracket or quote is found far from where it opened.
    """
    mark = getattr(error, "problem_mark", None)
    context_mark = getattr(error, "context_mark", None)
    line = mark.line + 1 + line_offset if mark else None
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    started = context_mark.line + 1 + line_offset if context_mark else None
    return line, problem, started if started != line else None


def _compose_yaml(source: str, line_offset: int, what_fr: str, what_en: str) -> Any:
    """YAML node tree, which keeps positions; a syntax error names its line in the file.

    Values are read from nodes, never constructed, so a malformed date elsewhere
    in the front matter cannot crash the checker.
    """
    loader = yaml.SafeLoader(source)
    try:
        return loader.get_single_node()
    except yaml.YAMLError as error:
        line, problem, started = yaml_problem(error, line_offset)
        raise InputError(
            f"{what_fr} contient une erreur de syntaxe YAML : {problem}"
            + (f" (partie commencée ligne {started})." if started else "."),
            f"{what_en} has a YAML syntax error: {problem}" + (f" (started on line {started})." if started else "."),
            line=line,
        ) from None
    finally:
        loader.dispose()


def _scalar_source(node: yaml.ScalarNode, source: str, base: int) -> tuple[int, int, str]:
    """Source span of a scalar's text and the raw text with YAML quoting blanked."""
    start, end = node.start_mark.index, node.end_mark.index
    if node.style in ("'", '"'):
        start, end = start + 1, end - 1
    elif node.style in ("|", ">"):
        start = source.find("\n", start) + 1 or end
    raw = source[start:end]
    if node.style == "'":
        raw = raw.replace("''", "' ")
    elif node.style == '"':
        raw = re.sub(r"\\(.)", r" \1", raw)
    return base + start, base + end, raw


def _is_text(node: Any) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:str" and bool(node.value.strip())


def _mapping_items(node: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                yield key.value, value


def _read_front_matter(builder: _Builder) -> int:
    """Add the title, summary and image alt texts; return where the body starts."""
    text = builder.document.text
    split = _split_front_matter(text)
    if split is None:
        return 0
    source, base, body_start = split
    node = _compose_yaml(source, 1, "le front matter", "front matter")
    if node is None:
        return body_start
    if not isinstance(node, yaml.MappingNode):
        raise InputError(
            "le front matter doit être une liste de clés « nom: valeur ».",
            "front matter must be a mapping of 'key: value' lines.",
            line=node.start_mark.line + 2,
        )
    for key, value in _mapping_items(node):
        if key in ("title", "summary") and _is_text(value):
            start, end, raw = _scalar_source(value, source, base)
            builder.add(key, start, end, level=1 if key == "title" else 0, source=raw)
            if key == "title":
                builder.document.title = value.value
        elif key == "images" and isinstance(value, yaml.SequenceNode):
            for item in value.value:
                _front_matter_image(builder, item, source, base)
    return body_start


def _scalar_text(node: Any) -> str | None:
    return node.value if isinstance(node, yaml.ScalarNode) and node.value else None


def _is_true(node: Any) -> bool:
    return (
        isinstance(node, yaml.ScalarNode)
        and node.tag == "tag:yaml.org,2002:bool"
        and node.value.lower() in ("true", "yes", "on")
    )


def _front_matter_image(builder: _Builder, item: Any, source: str, base: int) -> None:
    if not isinstance(item, yaml.MappingNode):
        return
    fields = dict(_mapping_items(item))
    alt_node = fields.get("alt")
    alt_offset = None
    if _is_text(alt_node):
        alt_offset, end, raw = _scalar_source(alt_node, source, base)
        builder.add("alt", alt_offset, end, source=raw)
    builder.document.images.append(
        Image(
            offset=alt_offset if alt_offset is not None else base + item.start_mark.index,
            alt=_scalar_text(alt_node),
            file=_scalar_text(fields.get("file")),
            caption=_scalar_text(fields.get("caption")) or _scalar_text(fields.get("title")),
            decorative=_is_true(fields.get("decorative")),
            alt_offset=alt_offset,
        )
    )


# --- Markdown body -------------------------------------------------------------

_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^[ \t]{0,3}(#{1,6})(?:[ \t]+|$)")
_THEMATIC = re.compile(r"^[ \t]{0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_SETEXT = re.compile(r"^[ \t]{0,3}(=+|-+)[ \t]*$")
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)")
_QUOTE = re.compile(r"^[ \t]{0,3}>")
_LINK_DEFINITION = re.compile(r"^[ \t]{0,3}\[[^\]]+\]:\s*\S")
_TABLE_SEPARATOR = re.compile(r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*$")
_INDENTED = re.compile(r"^(?: {4}|\t)")
_CELL = re.compile(r"(?:\\\||[^|])+")


def _lines(text: str, start: int) -> list[tuple[int, str]]:
    """(offset, line without its line break) for every line from `start`."""
    lines, offset = [], start
    for line in text[start:].split("\n"):
        lines.append((offset, line))
        offset += len(line) + 1
    return lines


def _starts_block(line: str) -> bool:
    return bool(
        _ATX.match(line)
        or _FENCE.match(line)
        or _THEMATIC.match(line)
        or _LIST_ITEM.match(line)
        or _QUOTE.match(line)
        or line.lstrip().startswith(("<!--", "|"))
    )


def _skip_until(lines: list[tuple[int, str]], index: int, is_end) -> int:
    """Index of the first line at or after `index` for which `is_end` holds, or len."""
    while index < len(lines) and not is_end(lines[index][1]):
        index += 1
    return index


def _parse_markdown(text: str, filename: str | None) -> Document:
    builder = _Builder(text)
    try:
        body_start = _read_front_matter(builder)
    except InputError as error:
        raise error.in_file(filename) from None
    lines = _lines(text, body_start)
    index, previous_blank, in_list = 0, True, False
    while index < len(lines):
        offset, line = lines[index]
        if not line.strip():
            index, previous_blank = index + 1, True
            continue
        fence = _FENCE.match(line)
        if fence:
            marker = fence.group(1)
            closing = re.compile(rf"^[ \t]{{0,3}}{re.escape(marker[0])}{{{len(marker)},}}[ \t]*$")
            index = _skip_until(lines, index + 1, closing.match) + 1
        elif line.lstrip().startswith("<!--"):
            index = _skip_until(lines, index, lambda text_line: "-->" in text_line) + 1
        elif previous_blank and not in_list and _INDENTED.match(line):
            index = _skip_until(lines, index, lambda other: bool(other.strip()) and not _INDENTED.match(other))
        elif _ATX.match(line):
            _add_heading(builder, offset, line, _ATX.match(line))
            index, in_list = index + 1, False
        elif _THEMATIC.match(line) or _LINK_DEFINITION.match(line):
            index += 1
        elif "|" in line and index + 1 < len(lines) and _TABLE_SEPARATOR.match(lines[index + 1][1]):
            index = _add_table(builder, lines, index)
        elif _LIST_ITEM.match(line):
            end = _paragraph_end(lines, index + 1)
            item_start = offset + _LIST_ITEM.match(line).end()
            builder.add("item", item_start, lines[end - 1][0] + len(lines[end - 1][1]))
            index, in_list = end, True
        else:
            index = _add_paragraph(builder, lines, index)
            in_list = in_list and line[:1] in (" ", "\t")
        previous_blank = False
    builder.document.blocks.sort(key=lambda block: block.start)
    return builder.document


def _add_heading(builder: _Builder, offset: int, line: str, marker: re.Match[str]) -> None:
    """"## Title ##": the text between the opening and the optional closing hashes."""
    content = line[marker.end() :].rstrip()
    unclosed = content.rstrip("#")
    if unclosed != content and (not unclosed or unclosed[-1] in " \t"):
        content = unclosed.rstrip()
    builder.add("heading", offset + marker.end(), offset + marker.end() + len(content), level=len(marker.group(1)))


def _paragraph_end(lines: list[tuple[int, str]], index: int) -> int:
    """First line after a paragraph's lazy continuation lines."""
    return _skip_until(
        lines, index, lambda line: not line.strip() or _starts_block(line) or bool(_SETEXT.match(line))
    )


def _add_paragraph(builder: _Builder, lines: list[tuple[int, str]], index: int) -> int:
    end = _paragraph_end(lines, index + 1)
    start_offset = lines[index][0]
    end_offset = lines[end - 1][0] + len(lines[end - 1][1])
    underline = _SETEXT.match(lines[end][1]) if end < len(lines) else None
    if underline:
        level = 1 if underline.group(1).startswith("=") else 2
        builder.add("heading", start_offset, end_offset, level=level)
        return end + 1
    builder.add("paragraph", start_offset, end_offset)
    return end


def _add_table(builder: _Builder, lines: list[tuple[int, str]], index: int) -> int:
    """Each cell of a table is its own segment; the separator row is skipped."""
    end = _skip_until(lines, index, lambda line: "|" not in line or not line.strip())
    for row in range(index, end):
        if row == index + 1:
            continue
        offset, line = lines[row]
        for cell in _CELL.finditer(line):
            if cell.group().strip():
                builder.add("cell", offset + cell.start(), offset + cell.end())
    return end


# --- démarche definitions (YAML) -----------------------------------------------

FORM_TEXT_KEYS = frozenset(
    {
        "title", "description", "label", "hint", "intro", "text", "help", "summary",
        "what_you_need", "legend", "confirmation", "declaration", "expected_processing",
        "error", "errors", "error_message", "error_messages", "message", "messages",
        # privacy notice shown before sending
        "purpose", "legal_basis", "recipients", "retention", "rights",
    }
)


def _parse_form(text: str, filename: str) -> Document:
    """Check the user-facing strings of a démarche: values of FORM_TEXT_KEYS."""
    try:
        node = _compose_yaml(text, 0, "le fichier", "file")
    except InputError as error:
        raise error.in_file(filename) from None
    builder = _Builder(text)
    for scalar in _form_strings(node, collecting=False):
        start, end, raw = _scalar_source(scalar, text, 0)
        builder.add("field", start, end, source=raw)
    builder.document.blocks.sort(key=lambda block: block.start)
    return builder.document


def _form_strings(node: Any, collecting: bool) -> Iterator[yaml.ScalarNode]:
    if collecting and _is_text(node):
        yield node
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _form_strings(item, collecting)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            wanted = collecting or (isinstance(key, yaml.ScalarNode) and key.value in FORM_TEXT_KEYS)
            yield from _form_strings(value, wanted)
