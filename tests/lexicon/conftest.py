"""Fixtures: a small test vocabulary, so unit tests never depend on lexicon/data."""

import pytest

from lexicon import Config, check, load_vocabulary

from .helpers import TEST_VOCABULARY


@pytest.fixture
def vocab():
    return load_vocabulary(TEST_VOCABULARY)


@pytest.fixture
def run():
    """check() with the test vocabulary and optional Config overrides; returns the report."""

    def run_check(text, filename=None, **config):
        return check(text, filename=filename, config=Config(vocabulary=str(TEST_VOCABULARY), **config))

    return run_check
