"""The second factor of local accounts: TOTP codes (RFC 6238) and single-use recovery codes."""
import hashlib
import hmac
import secrets
import time

import pyotp
import segno

RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=issuer)


def qr_code_svg(uri: str, title: str) -> str:
    """The enrolment QR code as inline SVG (no image request, no script); its title names it."""
    svg = segno.make(uri, error="m").svg_inline(scale=4, title=title, svgclass="qr-code", lineclass=None,
                                                 dark="#000", light="#fff")
    return svg.replace("<svg ", '<svg role="img" ', 1)


def accepted_step(secret: str, code: str, last_step: int | None, now: float | None = None) -> int | None:
    """The time step of a valid code (one step of clock drift allowed either way), or None.

    A code of a step already used, or older, is refused: a code seen over someone's shoulder cannot be replayed.
    """
    digits = "".join(code.split())
    if not (digits.isascii() and digits.isdigit() and len(digits) == 6):
        return None
    moment = time.time() if now is None else now
    totp = pyotp.TOTP(secret)
    current = int(moment // totp.interval)
    for step in (current - 1, current, current + 1):
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), digits):
            return step
    return None


def new_recovery_codes() -> list[str]:
    return ["-".join("".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(5)) for _ in range(2))
            for _ in range(RECOVERY_CODE_COUNT)]


def normalise_recovery_code(code: str) -> str:
    compact = "".join(char for char in code.upper() if char.isascii() and char.isalnum())
    return f"{compact[:5]}-{compact[5:]}" if len(compact) == 10 else compact


def hash_code(code: str) -> str:
    return hashlib.sha256(normalise_recovery_code(code).encode()).hexdigest()
