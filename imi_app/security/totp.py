"""Optional TOTP second factor (SEC-8): secrets encrypted at rest, ±1 step window, replay refused."""

from __future__ import annotations

import base64
import hmac
import io
import os
import time

import pyotp
import segno
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from imi_app.core.settings import get_settings

STEP_SECONDS = 30
NONCE_BYTES = 12
_AAD = b"imi-totp-secret-v1"


def new_totp_secret() -> str:
    return pyotp.random_base32(length=32)


def _key() -> bytes:
    # HKDF so that the configured string of any length becomes a proper 256-bit AES key.
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"imi totp secret encryption")
    return hkdf.derive(get_settings().secret("totp_key"))


def encrypt_secret(secret: str) -> str:
    nonce = os.urandom(NONCE_BYTES)
    ciphertext = AESGCM(_key()).encrypt(nonce, secret.encode(), _AAD)
    return base64.urlsafe_b64encode(nonce + ciphertext).decode("ascii")


def decrypt_secret(token: str) -> str:
    """Raise ValueError if the token was altered or the key has changed."""
    try:
        raw = base64.urlsafe_b64decode(token.encode("ascii"))
        plain = AESGCM(_key()).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], _AAD)
    except (InvalidTag, ValueError, TypeError) as exc:
        raise ValueError("cannot decrypt the TOTP secret") from exc
    return plain.decode()


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
