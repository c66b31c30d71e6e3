"""A coarse device class from the User-Agent: enough to spot a phone-only problem, and to give text
browsers (which show every form in full: no CSS, no disclosure) a link where others get a disclosure."""
import re

PHONE_RE = re.compile(r"iPhone|iPod|Android.*Mobile|Mobile Safari|Windows Phone|Opera Mini|KaiOS|Mobi", re.I)
TABLET_RE = re.compile(r"iPad|Tablet|Android", re.I)
TEXT_BROWSER_RE = re.compile(r"\b(?:Lynx|w3m|Links|ELinks)\b", re.I)


def device_class(user_agent: str) -> str:
    if not user_agent:
        return "inconnu"
    if TEXT_BROWSER_RE.search(user_agent):
        return "texte"
    if PHONE_RE.search(user_agent):
        return "mobile"
    if TABLET_RE.search(user_agent):
        return "tablette"
    return "ordinateur"


def is_text_browser(user_agent: str) -> bool:
    return bool(TEXT_BROWSER_RE.search(user_agent or ""))
