"""The pure rules of sign-in: session limits, roles, TOTP steps, recovery codes, password policy."""
from datetime import datetime, timedelta, timezone

import pyotp
import pytest

from guichet.staff import second_factor
from guichet.staff.passwords import hash_password, password_problem, verify_password
from guichet.staff.roles import role_is_valid
from guichet.staff.signin import session_state

T0 = datetime(2026, 12, 7, 8, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("created, seen, ended, now, expected", [
    (T0, T0, None, T0 + timedelta(minutes=29), "active"),
    (T0, T0, None, T0 + timedelta(minutes=30), "idle"),
    (T0, T0 + timedelta(hours=9, minutes=50), None, T0 + timedelta(hours=9, minutes=59), "active"),
    (T0, T0 + timedelta(hours=9, minutes=50), None, T0 + timedelta(hours=10), "expired"),
    (T0, T0, T0 + timedelta(minutes=1), T0 + timedelta(minutes=2), "ended"),
    (T0.replace(tzinfo=None), T0.replace(tzinfo=None), None, T0 + timedelta(minutes=5), "active"),
])
def test_session_state(created, seen, ended, now, expected):
    assert session_state(created, seen, ended, now) == expected


@pytest.mark.parametrize("role, service, expected", [
    ("agent", "etat-civil", True), ("agent", None, False), ("agent", "inconnu", False),
    ("admin", None, True), ("admin", "etat-civil", False), ("dpo", None, True),
    ("relecteur", "accueil", True), ("roi", None, False),
])
def test_role_is_valid(role, service, expected):
    assert role_is_valid(role, service, {"etat-civil", "accueil"}) is expected


def test_totp_accepts_one_step_of_drift_and_never_the_same_step_twice():
    secret = pyotp.random_base32()
    totp = pyotp.TOTP(secret)
    now = 1_800_000_000.0
    step = int(now // 30)
    assert second_factor.accepted_step(secret, totp.at(now), None, now) == step
    assert second_factor.accepted_step(secret, totp.at(now - 30), None, now) == step - 1
    assert second_factor.accepted_step(secret, totp.at(now - 60), None, now) is None
    assert second_factor.accepted_step(secret, totp.at(now), step, now) is None
    assert second_factor.accepted_step(secret, totp.at(now - 30), step, now) is None
    assert second_factor.accepted_step(secret, " ".join(totp.at(now)[:3]) + totp.at(now)[3:], None, now) == step
    for bad in ("", "12345", "1234567", "abcdef", "١٢٣٤٥٦"):
        assert second_factor.accepted_step(secret, bad, None, now) is None


def test_recovery_codes_are_distinct_and_compared_without_case_or_dashes():
    codes = second_factor.new_recovery_codes()
    assert len(set(codes)) == 10
    assert second_factor.hash_code(codes[0]) == second_factor.hash_code(codes[0].lower().replace("-", " "))


@pytest.mark.parametrize("password, ok", [
    ("court", False), ("aaaaaaaaaaaaaaaa", False), ("une phrase de passe", True), ("x" * 201, False),
])
def test_password_policy(password, ok):
    assert (password_problem(password) is None) is ok


def test_password_hash_verifies_only_the_right_password():
    stored = hash_password("une phrase de passe")
    assert stored.startswith("$argon2id$")
    assert verify_password(stored, "une phrase de passe")
    assert not verify_password(stored, "une autre phrase")
    assert not verify_password(None, "une phrase de passe")
    assert not verify_password("pas un hash", "une phrase de passe")
