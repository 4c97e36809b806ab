"""Tests for imi_app.security: password, code, TOTP and token helpers (SEC-1, 2, 5, 6, 7, 8, 9)."""

from __future__ import annotations

import base64
from itertools import combinations

import pyotp
import pytest
from hypothesis import given, settings as hsettings, strategies as st

from imi_app.security import codes, passwords, tokens, totp
from imi_app.core.settings import get_settings

TEST_ENV = {
    "IMI_ENVIRONMENT": "test",
    "IMI_BCRYPT_ROUNDS": "4",
    "IMI_PASSWORD_PEPPER": "test-password-pepper-0123456789abcdef",
    "IMI_CODE_PEPPER": "test-code-pepper-0123456789abcdef",
    "IMI_TOTP_KEY": "test-totp-key-0123456789abcdef",
    "IMI_SESSION_KEY": "test-session-key-0123456789abcdef",
}


@pytest.fixture(autouse=True, scope="module")
def security_env():
    with pytest.MonkeyPatch.context() as mp:
        for name, value in TEST_ENV.items():
            mp.setenv(name, value)
        get_settings.cache_clear()
        yield
    get_settings.cache_clear()


# --- passwords (SEC-1, SEC-2, SEC-7) ---

def test_hash_is_bcrypt_and_verifies():
    hashed = passwords.hash_password("correct horse battery")
    assert hashed.startswith("$2b$04$")
    assert passwords.verify_password("correct horse battery", hashed)
    assert not passwords.verify_password("correct horse batterY", hashed)


def test_long_non_ascii_password():
    long_pw = "ä" * 64  # 128 UTF-8 bytes, over bcrypt's 72-byte limit
    hashed = passwords.hash_password(long_pw)
    assert passwords.verify_password(long_pw, hashed)
    assert not passwords.verify_password("ä" * 63 + "a", hashed)


def test_nfkc_equivalent_passwords_match():
    hashed = passwords.hash_password("ﬁnancial-ministry")  # "ﬁ" ligature
    assert passwords.verify_password("financial-ministry", hashed)


def test_wrong_pepper_fails():
    hashed = passwords.hash_password("a perfectly fine password")
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("IMI_PASSWORD_PEPPER", "another-pepper-0123456789abcdefghij")
            get_settings.cache_clear()
            assert not passwords.verify_password("a perfectly fine password", hashed)
    finally:
        get_settings.cache_clear()
    assert passwords.verify_password("a perfectly fine password", hashed)


@pytest.mark.parametrize("stored", [None, "", "not a bcrypt hash"])
def test_verify_without_usable_hash_is_false(stored):
    assert passwords.verify_password("whatever password", stored) is False


@pytest.mark.parametrize(
    ("password", "username", "ok"),
    [
        ("a" * 5 + "bcdefg", "", False),  # 11 characters
        ("abcdefghijk9", "", True),  # 12 characters
        ("x" * 128, "", True),
        ("x" * 129, "", False),
        ("password1234", "", False),
        ("PassWord1234", "", False),
        ("qwerty123456", "", False),
        ("janedoe-rules-2024", "JaneDoe", False),
        ("JANEDOE", "janedoe", False),
        ("mj-is-a-long-password", "mj", True),  # short usernames are not checked
        ("tab\there-long-enough", "", False),
        ("newline\nlong-enough", "", False),
        ("null\x00-long-enough", "", False),
        ("Grüße aus Brüssel!", "", True),
    ],
)
def test_password_rules(password, username, ok):
    problem = passwords.password_problem(password, username)
    assert (problem is None) is ok
    if problem:
        assert problem.endswith(".")


def test_temporary_passwords():
    seen = set()
    for _ in range(200):
        pw = passwords.new_temporary_password()
        assert len(pw) >= 16
        assert passwords.password_problem(pw) is None
        assert not set(pw) & set("0O1lI")
        seen.add(pw)
    assert len(seen) == 200


# --- security code (SEC-5, SEC-6) ---

CODE = "Ab3$kP9!zQ2w"


def test_code_record_shape_and_no_plaintext():
    salt, tags = codes.make_code_record(CODE)
    assert len(salt) == 16
    assert len(tags) == 220 * 32
    blob = salt + tags
    for size in range(3, 13):
        for start in range(0, 13 - size):
            assert CODE[start:start + size].encode() not in blob


def test_same_code_two_users_different_tags():
    salt1, tags1 = codes.make_code_record(CODE)
    salt2, tags2 = codes.make_code_record(CODE)
    assert salt1 != salt2
    chunks1 = {tags1[n:n + 32] for n in range(0, len(tags1), 32)}
    chunks2 = {tags2[n:n + 32] for n in range(0, len(tags2), 32)}
    assert not chunks1 & chunks2


def test_verify_code_basics():
    salt, tags = codes.make_code_record(CODE)
    assert codes.verify_code(salt, tags, (1, 2, 3), ("A", "b", "3"))
    assert codes.verify_code(salt, tags, (10, 11, 12), ("Q", "2", "w"))
    assert not codes.verify_code(salt, tags, (1, 2, 3), ("a", "b", "3"))
    assert not codes.verify_code(salt, tags, (2, 1, 3), ("b", "A", "3"))  # not sorted
    assert not codes.verify_code(salt, tags, (0, 1, 2), ("A", "b", "3"))
    assert not codes.verify_code(salt, tags, (1, 2, 3), ("Ab", "", "3"))
    assert not codes.verify_code(None, None, (1, 2, 3), ("A", "b", "3"))
    assert not codes.verify_code(salt, tags[:-1], (1, 2, 3), ("A", "b", "3"))


def test_verify_code_fails_after_pepper_rotation():
    salt, tags = codes.make_code_record(CODE)
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("IMI_CODE_PEPPER", "rotated-code-pepper-0123456789abcdef")
            get_settings.cache_clear()
            assert not codes.verify_code(salt, tags, (1, 2, 3), ("A", "b", "3"))
    finally:
        get_settings.cache_clear()


code_chars = st.characters(
    blacklist_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp")
).filter(lambda c: c.isprintable() and not c.isspace())
codes_12 = st.lists(code_chars, min_size=12, max_size=12).map("".join)
triples = st.sampled_from(list(combinations(range(1, 13), 3)))


@hsettings(max_examples=150, deadline=None)
@given(code=codes_12, positions=triples, which=st.integers(0, 2), data=st.data())
def test_property_right_chars_pass_changed_char_fails(code, positions, which, data):
    assert codes.code_problem(code) is None
    salt, tags = codes.make_code_record(code)
    chars = tuple(code[p - 1] for p in positions)
    assert codes.verify_code(salt, tags, positions, chars)
    other = data.draw(code_chars.filter(lambda c: c != chars[which]))
    changed = list(chars)
    changed[which] = other
    assert not codes.verify_code(salt, tags, positions, tuple(changed))


@hsettings(max_examples=100, deadline=None)
@given(code=codes_12, positions=triples, which=st.integers(0, 2))
def test_property_case_flip_fails(code, positions, which):
    chars = [code[p - 1] for p in positions]
    flipped = chars[which].swapcase()
    if len(flipped) != 1 or flipped == chars[which]:
        return  # character has no distinct single-character other case
    salt, tags = codes.make_code_record(code)
    chars[which] = flipped
    assert not codes.verify_code(salt, tags, positions, tuple(chars))


@pytest.mark.parametrize(
    ("code", "ok"),
    [
        ("abcdefghijk", False),
        ("abcdefghijklm", False),
        ("abcdef ghijk", False),
        ("abcdef\tghijk", False),
        ("abcdef\x07ghijk", False),
        ("abcdefghijkl", True),
        ("äöü€ß#@!Zz9.", True),
    ],
)
def test_code_problem(code, ok):
    assert (codes.code_problem(code) is None) is ok


def test_code_problem_messages():
    assert codes.code_problem("short") == "The security code must be exactly 12 characters long."
    assert codes.code_problem("abcdef ghijk") == (
        "The security code must not contain spaces or control characters."
    )


def test_make_code_record_refuses_invalid_code():
    with pytest.raises(ValueError):
        codes.make_code_record("too short")


def test_draw_positions():
    seen = set()
    for _ in range(500):
        p = codes.draw_positions()
        assert len(p) == 3 and len(set(p)) == 3
        assert list(p) == sorted(p)
        assert all(1 <= x <= 12 for x in p)
        seen.add(p)
    assert len(seen) > 50


def test_positions_for_unknown_stable_and_distinct():
    p = codes.positions_for_unknown("nobody@example.eu")
    assert p == codes.positions_for_unknown("nobody@example.eu")
    assert p == codes.positions_for_unknown("NoBody@Example.EU")
    assert len(set(p)) == 3 and list(p) == sorted(p) and all(1 <= x <= 12 for x in p)
    others = {codes.positions_for_unknown(f"user{n}") for n in range(100)}
    assert len(others) > 20


def test_format_and_parse_positions():
    assert codes.format_positions((2, 7, 11)) == "2,7,11"
    assert codes.parse_positions("2,7,11") == (2, 7, 11)
    assert codes.parse_positions(codes.format_positions((1, 5, 12))) == (1, 5, 12)
    for bad in ["", None, "1,2", "1,2,3,4", "0,1,2", "1,2,13", "1,1,2", "a,b,c", "-1,2,3", "1,²,3"]:
        assert codes.parse_positions(bad) is None


# --- TOTP (SEC-8) ---

NOW = 1_700_000_015.0


def test_totp_secret_is_160_bits():
    secret = totp.new_totp_secret()
    assert len(secret) == 32
    assert len(base64.b32decode(secret)) == 20


def test_totp_current_code_accepted_and_replay_refused():
    secret = totp.new_totp_secret()
    step = int(NOW // 30)
    code = pyotp.TOTP(secret).at(NOW)
    assert totp.verify_totp(secret, code, last_step=0, now=NOW) == step
    assert totp.verify_totp(secret, code, last_step=step, now=NOW) is None


def test_totp_window():
    secret = totp.new_totp_secret()
    otp = pyotp.TOTP(secret)
    step = int(NOW // 30)
    assert totp.verify_totp(secret, otp.at(NOW - 30), 0, now=NOW) == step - 1
    assert totp.verify_totp(secret, otp.at(NOW + 30), 0, now=NOW) == step + 1
    old = otp.at(NOW - 60)
    if old not in (otp.at(NOW - 30), otp.at(NOW), otp.at(NOW + 30)):
        assert totp.verify_totp(secret, old, 0, now=NOW) is None
    # After the current step was used, the previous step's code is a replay too.
    assert totp.verify_totp(secret, otp.at(NOW - 30), step, now=NOW) is None


@pytest.mark.parametrize("bad", ["", "12345", "1234567", "12a456", "١٢٣٤٥٦", "12 456"])
def test_totp_refuses_non_six_digits(bad):
    secret = totp.new_totp_secret()
    assert totp.verify_totp(secret, bad, 0, now=NOW) is None


def test_totp_encryption_round_trip():
    secret = totp.new_totp_secret()
    token = totp.encrypt_secret(secret)
    assert secret not in token and secret.lower() not in token.lower()
    assert len(token) < 200
    assert totp.encrypt_secret(secret) != token  # random nonce
    assert totp.decrypt_secret(token) == secret


def test_totp_decrypt_refuses_tampering_and_other_key():
    token = totp.encrypt_secret(totp.new_totp_secret())
    raw = bytearray(base64.urlsafe_b64decode(token))
    raw[-1] ^= 1
    with pytest.raises(ValueError):
        totp.decrypt_secret(base64.urlsafe_b64encode(bytes(raw)).decode())
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("IMI_TOTP_KEY", "some-other-totp-key-0123456789abcdef")
            get_settings.cache_clear()
            with pytest.raises(ValueError):
                totp.decrypt_secret(token)
    finally:
        get_settings.cache_clear()


def test_provisioning_uri_and_qr():
    secret = totp.new_totp_secret()
    uri = totp.provisioning_uri(secret, "jane@example.eu")
    assert uri.startswith("otpauth://totp/") and f"secret={secret}" in uri and "issuer=IMI" in uri
    data_uri = totp.qr_svg_data_uri(uri)
    prefix = "data:image/svg+xml;base64,"
    assert data_uri.startswith(prefix)
    svg = base64.b64decode(data_uri[len(prefix):]).decode()
    assert "<svg" in svg and "#111" in svg


# --- session tokens (SEC-9) ---

def test_tokens():
    token = tokens.new_token()
    assert len(token) >= 43 and token != tokens.new_token()
    digest = tokens.token_hash(token)
    assert len(digest) == 64 and int(digest, 16) >= 0
    assert digest == tokens.token_hash(token) and token not in digest
