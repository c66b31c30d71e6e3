"""Where things live: the repository root, the `site/` data folder, `instance/`."""
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SITE_DIR = REPO_ROOT / "site"
TEMPLATES_DIR = SITE_DIR / "templates"
STATIC_DIR = SITE_DIR / "static"
CONTENT_DIR = SITE_DIR / "content"
FORMS_DIR = SITE_DIR / "forms"
DEFAULT_SETTINGS = SITE_DIR / "settings" / "admiville.yaml"
INSTANCE_DIR = REPO_ROOT / "instance"
REPLY_TEMPLATES = SITE_DIR / "settings" / "reply_templates.yaml"
