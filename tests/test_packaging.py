"""`pip install .` (not editable) gives a working app and CLI, outside the repository.

Fast but real: the wheel is built from a copy of the checkout (without build isolation, with
the test environment's setuptools) and installed without dependencies into a fresh virtualenv;
a .pth line lets that virtualenv import the dependencies already installed in ours, but not our
editable checkout (a .pth line adds a folder without running the .pth files inside it).
The app then runs from another working directory: templates, content, forms, settings,
migrations and translations must all come from the installed package.
"""
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from guichet.paths import CHECKOUT_ROOT

SOURCES = ("pyproject.toml", "setup.py", "README.md", "guichet", "lexicon", "site")
CHECK = """
import guichet, guichet.paths as paths
assert paths.SITE_DIR == paths.PACKAGED_SITE, paths.SITE_DIR
assert "site-packages" in guichet.__file__, guichet.__file__
app = guichet.create_app()
client = app.test_client()
assert client.get("/fiches/pacs").status_code == 200
assert b"Ville d" in client.get("/demarches/changement-adresse").data
from flask_babel import force_locale, gettext
with app.test_request_context(), force_locale("en"):
    assert gettext("Rechercher") == "Search"
print("ok")
"""


def run(args, cwd, env=None):
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    tmp_path = tmp_path_factory.mktemp("wheel")
    source = tmp_path / "source"
    for name in SOURCES:
        origin = CHECKOUT_ROOT / name
        if origin.is_dir():
            shutil.copytree(origin, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            source.mkdir(exist_ok=True)
            shutil.copy2(origin, source / name)
    run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--no-index",
         "--wheel-dir", str(tmp_path / "dist"), str(source)], cwd=tmp_path)
    return next((tmp_path / "dist").glob("guichet-*.whl"))


def test_wheel_carries_site_migrations_and_translations(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"guichet/_site/templates/layout.html", "guichet/_site/forms/changement-adresse.yaml",
            "guichet/_site/settings/admiville.yaml", "guichet/_site/content/fr/pacs.md",
            "guichet/db/migrations/env.py", "guichet/db/migrations/script.py.mako",
            "lexicon/data/sigles.yaml", "guichet/translations/en/LC_MESSAGES/messages.po"} <= names
    assert any(name.startswith("guichet/db/migrations/versions/0001_") for name in names)
    compiled = CHECKOUT_ROOT / "guichet/translations/en/LC_MESSAGES/messages.mo"
    assert compiled.is_file(), "compile the translations first (the Makefile's translations target)"
    assert "guichet/translations/en/LC_MESSAGES/messages.mo" in names


def test_installed_package_serves_a_fiche_outside_the_repository(wheel, tmp_path):
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=tmp_path)
    python = venv / "bin" / "python"
    run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", "--no-index",
         str(wheel)], cwd=tmp_path)
    purelib = run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=tmp_path)
    Path(purelib.strip(), "shared-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("GUICHET_", "FLASK_", "PYTHON")) and key not in ("DATABASE_URL", "UPLOAD_DIR")}
    env["DATABASE_URL"] = f"sqlite:///{elsewhere / 'guichet.sqlite3'}"
    flask = [str(python), "-m", "flask", "--app", "guichet"]
    run([*flask, "db", "upgrade"], cwd=elsewhere, env=env)
    assert "Content loaded" in run([*flask, "content", "load"], cwd=elsewhere, env=env)
    assert run([str(python), "-c", CHECK], cwd=elsewhere, env=env).strip().endswith("ok")
    assert (elsewhere / "instance" / "secret_key").is_file()
