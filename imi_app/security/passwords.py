"""Password hashing (SEC-1), password rules (SEC-2) and temporary passwords (SEC-7).

The common-password list common-passwords.txt.gz comes from the Django project
(django/contrib/auth/common-passwords.txt.gz), used under the BSD-3-Clause licence.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import hmac
import secrets
import unicodedata
from functools import lru_cache
from pathlib import Path

import bcrypt

from imi_app.core.settings import get_settings
from imi_app.core.i18n import N_

MIN_LENGTH = 12
MAX_LENGTH = 128
TEMP_PASSWORD_LENGTH = 20
# No 0/O/1/l/I: temporary passwords are read from an e-mail and typed by hand.
TEMP_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common-passwords.txt.gz")

_dummy_hashes: dict[int, bytes] = {}


def _prehash(password: str) -> bytes:
    # bcrypt 5 refuses more than 72 bytes, so bcrypt sees a fixed-length (44 bytes) peppered digest.
    normalised = unicodedata.normalize("NFKC", password).encode("utf-8", "surrogatepass")
    digest = hmac.new(get_settings().secret("password_pepper"), normalised, hashlib.sha256).digest()
    return base64.b64encode(digest)


def hash_password(password: str) -> str:
    rounds = get_settings().bcrypt_rounds
    return bcrypt.hashpw(_prehash(password), bcrypt.gensalt(rounds=rounds)).decode("ascii")


def _dummy_hash() -> bytes:
    # Keyed by cost so an unknown user costs the same as a known one even if the cost changes.
    rounds = get_settings().bcrypt_rounds
    if rounds not in _dummy_hashes:
        _dummy_hashes[rounds] = bcrypt.hashpw(b"dummy password", bcrypt.gensalt(rounds=rounds))
    return _dummy_hashes[rounds]


def verify_password(password: str, hashed: str | None) -> bool:
    candidate = _prehash(password)
    if hashed:
        try:
            return bcrypt.checkpw(candidate, hashed.encode("ascii"))
        except ValueError:
            pass  # malformed stored hash: fall through so the timing stays the same
    bcrypt.checkpw(candidate, _dummy_hash())
    return False


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_PASSWORDS_FILE, "rt", encoding="utf-8") as f:
        return frozenset(line.strip().casefold() for line in f if line.strip())


def password_problem(password: str, username: str = "") -> str | None:
    normalised = unicodedata.normalize("NFKC", password)
    if any(unicodedata.category(c) in ("Cc", "Cs") for c in normalised):
        return N_("The password must not contain control characters.")
    if len(normalised) < MIN_LENGTH:
        return N_("The password must be at least 12 characters long.")
    if len(normalised) > MAX_LENGTH:
        return N_("The password must be at most 128 characters long.")
    folded = normalised.casefold()
    name = unicodedata.normalize("NFKC", username).strip().casefold()
    if len(name) >= 3 and name in folded:
        return N_("The password must not contain your username.")
    if folded in common_passwords():
        return N_("This password is too common. Please choose a less predictable one.")
    return None


def new_temporary_password() -> str:
    while True:
        candidate = "".join(secrets.choice(TEMP_ALPHABET) for _ in range(TEMP_PASSWORD_LENGTH))
        if password_problem(candidate) is None:
            return candidate
