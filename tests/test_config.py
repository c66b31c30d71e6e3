"""Configuration read from the environment: file storage and rate limits."""
import pytest

from guichet.config import from_environment


def test_rate_limits_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("RATE_LIMIT_TRACKING", "4/60")
    monkeypatch.delenv("RATE_LIMIT_REPORTS", raising=False)
    config = from_environment(tmp_path)
    assert config["RATE_LIMIT_TRACKING"] == (4, 60)
    assert config["RATE_LIMIT_REPORTS"] == (5, 600)


@pytest.mark.parametrize("value", ["4", "4/", "/60", "0/60", "quatre/60", "4/-1"])
def test_a_malformed_rate_limit_stops_the_start(monkeypatch, tmp_path, value):
    monkeypatch.setenv("RATE_LIMIT_TRACKING", value)
    with pytest.raises(ValueError, match="RATE_LIMIT_TRACKING"):
        from_environment(tmp_path)


def test_file_storage_is_checked(monkeypatch, tmp_path):
    monkeypatch.delenv("FILE_STORAGE", raising=False)
    assert from_environment(tmp_path)["FILE_STORAGE"] == ""
    monkeypatch.setenv("FILE_STORAGE", "database")
    assert from_environment(tmp_path)["FILE_STORAGE"] == "database"
    monkeypatch.setenv("FILE_STORAGE", "s3")
    with pytest.raises(ValueError, match="FILE_STORAGE"):
        from_environment(tmp_path)
