"""Optional TOTP second factor (SEC-8): secrets encrypted at rest, ±1 step window, replay refused."""

from __future__ import annotations

import base64
import hmac
import io
import time

import pyotp
import segno

from imi_app.core.sealing import Sealer

STEP_SECONDS = 30
_SEALER = Sealer(info=b"imi totp secret encryption", aad=b"imi-totp-secret-v1")


def new_totp_secret() -> str:
    return pyotp.random_base32(length=32)


def encrypt_secret(secret: str) -> str:
    return _SEALER.seal(secret)


def decrypt_secret(token: str) -> str:
    """Raise ValueError if the token was altered or the key has changed."""
    try:
        return _SEALER.open(token)
    except ValueError as exc:
        raise ValueError("cannot decrypt the TOTP secret") from exc


def verify_totp(secret: str, code: str, last_step: int, now: float | None = None) -> int | None:
    code = (code or "").strip()
    if len(code) != 6 or not all(c in "0123456789" for c in code):
        return None
    current = int((time.time() if now is None else now) // STEP_SECONDS)
    otp = pyotp.TOTP(secret)
    for step in (current, current - 1, current + 1):
        # A step at or before the last accepted one is a replay, even inside the window.
        if step > last_step and hmac.compare_digest(otp.generate_otp(step), code):
            return step
    return None


def provisioning_uri(secret: str, account: str, issuer: str = "IMI") -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=issuer)


def qr_svg_data_uri(uri: str) -> str:
    buffer = io.BytesIO()
    segno.make(uri, error="m").save(buffer, kind="svg", scale=5, dark="#111")
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
