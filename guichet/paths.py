"""Where things live: the `site/` data folder and `instance/`.

From a checkout, `site/` and `instance/` are the repository's. An installed wheel carries its
own copy of `site/` (guichet/_site, written by setup.py at build time) and keeps its instance
folder in the working directory. GUICHET_SITE_DIR and GUICHET_INSTANCE_DIR override both.
"""
import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
CHECKOUT_ROOT = PACKAGE_DIR.parent
PACKAGED_SITE = PACKAGE_DIR / "_site"


def _site_dir() -> Path:
    if os.environ.get("GUICHET_SITE_DIR"):
        return Path(os.environ["GUICHET_SITE_DIR"]).resolve()
    return PACKAGED_SITE if PACKAGED_SITE.is_dir() else CHECKOUT_ROOT / "site"


def _instance_dir() -> Path:
    if os.environ.get("GUICHET_INSTANCE_DIR"):
        return Path(os.environ["GUICHET_INSTANCE_DIR"]).resolve()
    return Path.cwd() / "instance" if SITE_DIR == PACKAGED_SITE else CHECKOUT_ROOT / "instance"


SITE_DIR = _site_dir()
TEMPLATES_DIR = SITE_DIR / "templates"
STATIC_DIR = SITE_DIR / "static"
CONTENT_DIR = SITE_DIR / "content"
FORMS_DIR = SITE_DIR / "forms"
DEFAULT_SETTINGS = SITE_DIR / "settings" / "admiville.yaml"
INSTANCE_DIR = _instance_dir()
REPLY_TEMPLATES = SITE_DIR / "replies" / "templates.yaml"
