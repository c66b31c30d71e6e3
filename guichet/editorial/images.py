"""Images uploaded by editors: PNG or SVG of 15 KB at most; an SVG is rebuilt from an allow-list.

The SVG is parsed with defusedxml (no DTD, no entity expansion), then written again with only the
elements and attributes a pictogram needs. Anything that can run or fetch something (script,
foreignObject, event attributes, links or url() pointing outside the file, style) is refused with a
sentence naming it, so the editor knows what to remove, rather than silently changed.
"""
import re
from xml.etree import ElementTree

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from guichet.content.loader import MAX_IMAGE_BYTES

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
NAME_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\.(?:svg|png)")
ELEMENTS = {"svg", "g", "path", "circle", "ellipse", "rect", "line", "polyline", "polygon", "title", "desc", "defs",
            "lineargradient", "radialgradient", "stop", "clippath", "use", "text", "tspan"}
TEXT_ELEMENTS = {"title", "desc", "text", "tspan"}
ATTRIBUTES = {"viewbox", "width", "height", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "d",
              "points", "transform", "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-linecap",
              "stroke-linejoin", "stroke-opacity", "stroke-miterlimit", "stroke-dasharray", "opacity", "id", "offset",
              "stop-color", "stop-opacity", "gradientunits", "gradienttransform", "clip-path", "clip-rule",
              "clippathunits", "role", "aria-hidden", "focusable", "preserveaspectratio", "href", "version", "fx", "fy",
              "font-size", "font-family", "font-weight", "text-anchor", "dominant-baseline", "letter-spacing", "dx",
              "dy"}
LOCAL_URL_RE = re.compile(r"url\(\s*#[\w-]+\s*\)")


class ImageProblem(ValueError):
    """An image that cannot be stored; the message is for the editor."""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _check_value(name: str, value: str) -> None:
    lowered = value.lower()
    if "javascript:" in lowered or "data:" in lowered:
        raise ImageProblem(f"l'attribut « {name} » contient un lien qui n'est pas autorisé")
    if "url(" in lowered and LOCAL_URL_RE.sub("", value).lower().count("url(") > 0:
        raise ImageProblem(f"l'attribut « {name} » pointe vers un fichier extérieur à l'image")
    if name == "href" and not value.startswith("#"):
        raise ImageProblem("l'image contient un lien vers un fichier extérieur (href)")


def _rebuild(element, parent=None):
    name = _local(element.tag).lower()
    if element.tag.startswith("{") and not element.tag.startswith("{" + SVG_NS + "}"):
        raise ImageProblem(f"l'élément « {_local(element.tag)} » n'est pas du SVG")
    if name not in ELEMENTS:
        raise ImageProblem(f"l'élément « {_local(element.tag)} » n'est pas autorisé dans une image")
    tag = _local(element.tag)
    copy = ElementTree.Element(tag) if parent is None else ElementTree.SubElement(parent, tag)
    for key, value in element.attrib.items():
        attribute = _local(key)
        if attribute.lower().startswith("on"):
            raise ImageProblem(f"l'attribut « {attribute} » (un script) n'est pas autorisé")
        if attribute.lower() not in ATTRIBUTES:
            raise ImageProblem(f"l'attribut « {attribute} » n'est pas autorisé dans une image")
        _check_value(attribute, value)
        copy.set(attribute, value)
    copy.text = element.text if name in TEXT_ELEMENTS else None
    for child in element:
        _rebuild(child, copy).tail = child.tail if name in TEXT_ELEMENTS else None
    return copy


def sanitise_svg(data: bytes) -> bytes:
    """The SVG rebuilt from the allow-list; raises ImageProblem with the reason."""
    try:
        root = fromstring(data, forbid_dtd=True)
    except (ElementTree.ParseError, DefusedXmlException, ValueError):
        raise ImageProblem("ce fichier n'est pas une image SVG lisible") from None
    if _local(root.tag) != "svg":
        raise ImageProblem("ce fichier n'est pas une image SVG")
    clean = _rebuild(root)
    clean.set("xmlns", SVG_NS)
    return ElementTree.tostring(clean, encoding="unicode").encode("utf-8")


def checked_image(filename: str, data: bytes) -> tuple[str, bytes]:
    """The name and bytes to store for an upload: refused when too heavy, of another kind, or unsafe."""
    name = filename.strip().lower()
    if not NAME_RE.fullmatch(name):
        raise ImageProblem("nommez le fichier en lettres minuscules sans accent, chiffres et tirets, "
                           "terminé par .svg ou .png (par exemple carte-identite.svg)")
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageProblem(f"l'image pèse {len(data) // 1024} Ko : 15 Ko au plus")
    if name.endswith(".png"):
        if not data.startswith(PNG_SIGNATURE):
            raise ImageProblem("ce fichier n'est pas une image PNG")
        return name, data
    clean = sanitise_svg(data)
    if len(clean) > MAX_IMAGE_BYTES:
        raise ImageProblem(f"l'image pèse {len(clean) // 1024} Ko : 15 Ko au plus")
    return name, clean
