"""Passwords hashed with argon2id; a missing account costs the same time as a wrong password."""
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 12
MAX_LENGTH = 200
_hasher = PasswordHasher()
# Verified when the email matches no account, so that timing does not reveal which accounts exist.
_DUMMY_HASH = _hasher.hash("guichet-no-such-account")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def password_problem(password: str) -> str | None:
    """A plain French sentence when a new password is not acceptable, else None."""
    if len(password) < MIN_LENGTH:
        return f"Choisissez un mot de passe d'au moins {MIN_LENGTH} caractères. Une phrase de quelques mots convient."
    if len(password) > MAX_LENGTH:
        return f"Choisissez un mot de passe de {MAX_LENGTH} caractères au plus."
    if len(set(password)) < 5:
        return "Ce mot de passe est trop simple : il répète les mêmes caractères."
    return None
