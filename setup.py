"""Build hook: a wheel carries a copy of site/ (templates, content, forms, settings, static) as
guichet/_site, so `pip install .` gives a working site outside the repository. Editable installs
read the checkout's site/ directly (see guichet/paths.py). Everything else is in pyproject.toml."""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithSite(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "guichet" / "_site"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(Path(__file__).parent / "site", target, ignore=shutil.ignore_patterns("__pycache__"))


setup(cmdclass={"build_py": BuildWithSite})
