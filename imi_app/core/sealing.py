"""Values encrypted at rest: AES-GCM with a key per purpose, derived from the configured encryption key.

`SealedText` is a column type that stores its value sealed and hands it back in plain text to the
code that loads it, so a database file or a backup alone does not reveal it. It lives in `core`
because the models, which may import nothing else, use it.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass

import sqlalchemy as sa
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from imi_app.core.settings import get_settings

NONCE_BYTES = 12
SEALED_PREFIX = "sealed:v1:"


@dataclass(frozen=True)
class Sealer:
    """One purpose: `info` derives its own key, `aad` binds the ciphertext to it."""

    info: bytes
    aad: bytes

    def _key(self) -> bytes:
        # HKDF so that the configured string of any length becomes a proper 256-bit AES key.
        hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=self.info)
        return hkdf.derive(get_settings().secret("totp_key"))

    def seal(self, plain: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        ciphertext = AESGCM(self._key()).encrypt(nonce, plain.encode(), self.aad)
        return base64.urlsafe_b64encode(nonce + ciphertext).decode("ascii")

    def open(self, token: str) -> str:
        """Raise ValueError if the token was altered, belongs to another purpose or the key has changed."""
        try:
            raw = base64.urlsafe_b64decode(token.encode("ascii"))
            plain = AESGCM(self._key()).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], self.aad)
        except (InvalidTag, ValueError, TypeError) as exc:
            raise ValueError("cannot decrypt the value") from exc
        return plain.decode()


MAIL_BODY = Sealer(info=b"imi mail body encryption", aad=b"imi-mail-body-v1")


def seal_text(sealer: Sealer, plain: str) -> str:
    return SEALED_PREFIX + sealer.seal(plain)


def is_sealed(stored: str) -> bool:
    return stored.startswith(SEALED_PREFIX)


class SealedText(sa.types.TypeDecorator):
    """TEXT holding `sealed:v1:<base64>`. A value stored before encryption (no prefix) reads as it is;
    one that no longer decrypts (another key) reads as `unreadable`."""

    impl = sa.Text
    cache_ok = True

    def __init__(self, sealer: Sealer, unreadable: str) -> None:
        super().__init__()
        self.sealer = sealer
        self.unreadable = unreadable

    def process_bind_param(self, value, dialect):
        return None if value is None else seal_text(self.sealer, value)

    def process_result_value(self, value, dialect):
        if value is None or not is_sealed(value):
            return value
        try:
            return self.sealer.open(value[len(SEALED_PREFIX):])
        except ValueError:
            return self.unreadable
