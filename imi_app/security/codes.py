"""The 12-character security code: salted per-triple HMAC tags (SEC-5) and challenge positions (SEC-6)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from itertools import combinations

from imi_app.core.settings import get_settings
from imi_app.core.i18n import N_

CODE_LENGTH = 12
SALT_BYTES = 16
TAG_BYTES = 32
TRIPLES: tuple[tuple[int, int, int], ...] = tuple(combinations(range(CODE_LENGTH), 3))
_TRIPLE_INDEX = {triple: n for n, triple in enumerate(TRIPLES)}
TAGS_BYTES = len(TRIPLES) * TAG_BYTES  # 220 × 32
_DUMMY_SALT = bytes(SALT_BYTES)
_DUMMY_TAGS = bytes(TAGS_BYTES)


def code_problem(code: str) -> str | None:
    if any(c.isspace() or not c.isprintable() for c in code):
        return N_("The security code must not contain spaces or control characters.")
    if len(code) != CODE_LENGTH:
        return N_("The security code must be exactly 12 characters long.")
    return None


def _tag(pepper: bytes, salt: bytes, triple: tuple[int, int, int], chars: tuple[str, str, str]) -> bytes:
    # Each character is length-prefixed so that different splits of the same bytes never collide.
    message = bytearray(salt)
    message += bytes(triple)
    for c in chars:
        encoded = c.encode("utf-8", "surrogatepass")
        message += bytes([len(encoded)]) + encoded
    return hmac.new(pepper, bytes(message), hashlib.sha256).digest()


def make_code_record(code: str) -> tuple[bytes, bytes]:
    if code_problem(code) is not None:
        raise ValueError("invalid security code")
    pepper = get_settings().secret("code_pepper")
    salt = secrets.token_bytes(SALT_BYTES)
    tags = b"".join(_tag(pepper, salt, t, (code[t[0]], code[t[1]], code[t[2]])) for t in TRIPLES)
    return salt, tags


def verify_code(
    salt: bytes | None,
    tags: bytes | None,
    positions: tuple[int, int, int],
    chars: tuple[str, str, str],
) -> bool:
    # Bad input still computes one HMAC and one comparison, so failures all cost the same.
    ok = True
    try:
        index = _TRIPLE_INDEX[tuple(p - 1 for p in positions)]
    except (KeyError, TypeError):
        ok, index = False, 0
    if not (isinstance(chars, tuple) and len(chars) == 3
            and all(isinstance(c, str) and len(c) == 1 for c in chars)):
        ok, chars = False, ("\0", "\0", "\0")
    if not salt or not tags or len(tags) != TAGS_BYTES:
        ok, salt, tags = False, _DUMMY_SALT, _DUMMY_TAGS
    expected = tags[index * TAG_BYTES:(index + 1) * TAG_BYTES]
    actual = _tag(get_settings().secret("code_pepper"), salt, TRIPLES[index], chars)
    return hmac.compare_digest(actual, expected) and ok


def draw_positions() -> tuple[int, int, int]:
    a, b, c = sorted(secrets.SystemRandom().sample(range(1, CODE_LENGTH + 1), 3))
    return a, b, c


def positions_for_unknown(username: str) -> tuple[int, int, int]:
    # Same distribution as draw_positions (uniform over the 220 triples) but stable per name,
    # so probing an unknown name does not reveal that it is unknown.
    key = get_settings().secret("session_key")
    digest = hmac.new(key, b"unknown-user-positions:" + username.casefold().encode(), hashlib.sha256)
    i, j, k = TRIPLES[int.from_bytes(digest.digest(), "big") % len(TRIPLES)]
    return i + 1, j + 1, k + 1


def format_positions(positions: tuple[int, int, int]) -> str:
    return ",".join(str(p) for p in positions)


def parse_positions(text: str | None) -> tuple[int, int, int] | None:
    parts = (text or "").split(",")
    if len(parts) != 3 or not all(p.strip().isascii() and p.strip().isdigit() for p in parts):
        return None
    a, b, c = sorted(int(p) for p in parts)
    if not 1 <= a < b < c <= CODE_LENGTH:
        return None
    return a, b, c
