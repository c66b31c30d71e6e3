"""Configuration from environment variables, with safe defaults for a fresh machine."""
import os
import secrets
from pathlib import Path

from guichet.paths import DEFAULT_SETTINGS, INSTANCE_DIR
from guichet.settings import load_settings


def _secret_key(instance_dir: Path) -> str:
    """Use SECRET_KEY from the environment, else a key generated once into instance/."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    return _generated_secret(instance_dir / "secret_key")


def _generated_secret(key_file: Path) -> str:
    """A random secret written once, readable by the owner only."""
    key_file.parent.mkdir(parents=True, exist_ok=True)
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _file_storage() -> str:
    """`disk`, `database`, or empty: chosen from DATABASE_URL (see guichet.demarches.storage)."""
    chosen = os.environ.get("FILE_STORAGE", "")
    if chosen not in ("", "disk", "database"):
        raise ValueError(f"FILE_STORAGE must be 'disk' or 'database', not {chosen!r}")
    return chosen


def _rate_limit(name: str, default: tuple[int, int]) -> tuple[int, int]:
    """`RATE_LIMIT_…=10/600`: at most 10 attempts per client in 600 seconds."""
    value = os.environ.get(name)
    if not value:
        return default
    count, _slash, seconds = value.partition("/")
    if not (count.isdigit() and seconds.isdigit() and int(count) > 0 and int(seconds) > 0):
        raise ValueError(f"{name} must look like 10/600 (attempts/seconds), not {value!r}")
    return int(count), int(seconds)


def from_environment(instance_dir: Path = INSTANCE_DIR) -> dict:
    """Build the Flask config mapping from the environment."""
    environment = os.environ.get("GUICHET_ENV", "development")
    settings_path = Path(os.environ.get("GUICHET_SETTINGS", DEFAULT_SETTINGS))
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance_dir / 'guichet.sqlite3'}"
    if database_url.startswith("postgres://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgres://"):]
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgresql://"):]
    return {
        "GUICHET_ENV": environment,
        "SECRET_KEY": _secret_key(instance_dir),
        "DATABASE_URL": database_url,
        "GUICHET_SETTINGS": str(settings_path),
        "SETTINGS": load_settings(settings_path),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": environment != "development",
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": "fr",
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).parent / "translations"),
        "MAX_CONTENT_LENGTH": 12 * 1024 * 1024,
        "RATE_LIMIT_REPORTS": _rate_limit("RATE_LIMIT_REPORTS", (5, 600)),
        "RATE_LIMIT_TRACKING": _rate_limit("RATE_LIMIT_TRACKING", (10, 600)),
        "RATE_LIMIT_APPOINTMENTS": _rate_limit("RATE_LIMIT_APPOINTMENTS", (5, 3600)),
        "RATE_LIMIT_CALLBACKS": _rate_limit("RATE_LIMIT_CALLBACKS", (3, 3600)),
        "TRUST_PROXY": os.environ.get("TRUST_PROXY", "") in ("1", "true", "yes"),
        "DRAFT_IDLE_MINUTES": int(os.environ.get("DRAFT_IDLE_MINUTES", 20)),
        "HELP_POINT_IDLE_MINUTES": int(os.environ.get("HELP_POINT_IDLE_MINUTES", 10)),
        "DRAFT_LIFETIME_DAYS": int(os.environ.get("DRAFT_LIFETIME_DAYS", 30)),
        "FILE_STORAGE": _file_storage(),
        "UPLOAD_DIR": os.environ.get("UPLOAD_DIR", str(instance_dir / "uploads")),
        "SMTP_HOST": os.environ.get("SMTP_HOST", ""),
        "SMTP_PORT": int(os.environ.get("SMTP_PORT", 25)),
        "SMTP_USER": os.environ.get("SMTP_USER", ""),
        "SMTP_PASSWORD": os.environ.get("SMTP_PASSWORD", ""),
        "SMTP_STARTTLS": os.environ.get("SMTP_STARTTLS", "") in ("1", "true", "yes"),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "Guichet <ne-pas-repondre@localhost>"),
        "OIDC_DISCOVERY_URL": os.environ.get("OIDC_DISCOVERY_URL", ""),
        "OIDC_CLIENT_ID": os.environ.get("OIDC_CLIENT_ID", ""),
        "OIDC_CLIENT_SECRET": os.environ.get("OIDC_CLIENT_SECRET", ""),
        "OIDC_SCOPES": os.environ.get("OIDC_SCOPES", "openid email given_name usual_name"),
        "RATE_LIMIT_SIGN_IN": (10, 600),
        # Flask-Compress, for responses not already stored compressed (démarche steps, personal pages): brotli,
        # else gzip, at levels that cost a quarter of the defaults' time for 2-3 % more bytes on a 25 KB page.
        "COMPRESS_ALGORITHM": ["br", "gzip"],
        "COMPRESS_BR_LEVEL": 2,
        "COMPRESS_LEVEL": 4,
        "COMPRESS_MIMETYPES": ["text/html", "text/plain", "application/xml", "text/xml", "application/json"],
        "PAGE_CACHE_TTL_SECONDS": 1.0,
        # Step views wait at most this long in a process before being written (see feedback/funnel.py).
        "FUNNEL_VIEWS_WAIT_SECONDS": 2.0,
    }
