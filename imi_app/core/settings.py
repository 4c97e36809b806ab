"""Settings read from the environment and `.env` (prefix IMI_); secrets never have usable defaults."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER = "change-me"
SECRET_FIELDS = ("password_pepper", "code_pepper", "totp_key", "session_key")
MIN_BCRYPT_ROUNDS = 10


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="IMI_", env_file=".env", extra="ignore")

    # Without a setting this is production, with all its checks: a new installation is a demo only
    # because scripts/setup.sh writes IMI_ENVIRONMENT=demo into its .env (the README says how to choose).
    environment: Literal["demo", "dev", "test", "production"] = "production"
    database_url: str = "sqlite:///data/imi.db"
    data_dir: Path = Path("data")
    public_url: str = "http://localhost:3000"
    # Worker threads for the domain calls of one server process (queries, actions, bcrypt). More threads
    # than cores only fight the event loop for the interpreter (bench/load.py: 200 tabs, p95 1.2 s with 6).
    domain_threads: int = 2

    password_pepper: SecretStr = SecretStr(PLACEHOLDER)
    code_pepper: SecretStr = SecretStr(PLACEHOLDER)
    totp_key: SecretStr = SecretStr(PLACEHOLDER)
    session_key: SecretStr = SecretStr(PLACEHOLDER)

    bcrypt_rounds: int = 12  # at least MIN_BCRYPT_ROUNDS outside tests
    session_idle_minutes: int = 30
    session_absolute_hours: int = 12
    temp_password_hours: int = 72
    max_failed_logins: int = 5
    cookie_secure: bool = False  # Secure anyway whenever IMI_PUBLIC_URL is https
    # Behind nginx (deploy/nginx/imi.conf): the client's address is the last X-Forwarded-For entry, the one
    # the proxy added. Off, that header is the client's own words and the socket's peer address counts.
    trusted_proxy: bool = False

    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_starttls: bool = True
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    mail_from: str = "IMI <no-reply@imi.localhost>"
    mail_poll_seconds: float = 2.0
    mail_max_attempts: int = 8

    # Where users report an accessibility barrier (the accessibility statement, Directive 2016/2102):
    # an e-mail address of the operator. Empty: the statement sends them to their local data administrator.
    accessibility_contact: str = ""
    # Where people ask about the processing of personal data (the privacy notice, IMI Regulation 1024/2012
    # Art. 18-19): an e-mail address of the operator or its data protection officer. Empty: the notice sends
    # users to their local data administrator and everyone else to the authority that handled their case.
    privacy_contact: str = ""

    attachment_max_bytes: int = 10 * 1024 * 1024  # one uploaded file of a request
    digest_hour: int = 7  # UTC hour after which the daily notification digest goes out
    request_jobs_poll_seconds: float = 300.0  # how often deadline reminders and the digest are checked

    # Retention of personal data (Regulation 1024/2012 Art. 14; requests.retention): months after an exchange's
    # closure (or withdrawal) until its personal data is blocked and until it is deleted; a legislative area may
    # hold longer periods where its sector act allows (blocking at most 18 months). Drafts never sent are
    # deleted after `draft_days` without a change, their author warned `draft_warning_days` before. Mail that has
    # left the outbox is deleted after `mail_keep_days`. The job runs once a day after `retention_hour` (UTC).
    # An approval or a referral opinion waiting this many working days on a coordinator is reminded to its
    # staff, after twice as many escalated to the coordinator above it (requests.escalation).
    escalation_working_days: int = Field(default=3, ge=1, le=60)
    retention_block_months: int = Field(default=6, ge=1, le=18)
    retention_delete_months: int = Field(default=36, ge=1, le=120)
    draft_days: int = Field(default=90, ge=7)
    draft_warning_days: int = Field(default=7, ge=1)
    mail_keep_days: int = Field(default=90, ge=1)
    retention_hour: int = Field(default=1, ge=0, le=23)
    retention_batch: int = Field(default=50, ge=1)
    # After each batch the job rests this many times as long as the batch took, so the people working at the
    # same time keep their speed (2.0: the job works at most a third of the time).
    retention_pause: float = Field(default=2.0, ge=0, le=10)

    @model_validator(mode="after")
    def _refuse_unsafe_settings(self) -> "Settings":
        if self.environment != "test" and self.bcrypt_rounds < MIN_BCRYPT_ROUNDS:
            raise ValueError(f"IMI_BCRYPT_ROUNDS must be at least {MIN_BCRYPT_ROUNDS} "
                             f"when IMI_ENVIRONMENT={self.environment} (only tests may hash faster)")
        if self.retention_delete_months < self.retention_block_months:
            raise ValueError("IMI_RETENTION_DELETE_MONTHS cannot be shorter than IMI_RETENTION_BLOCK_MONTHS")
        if self.draft_warning_days >= self.draft_days:
            raise ValueError("IMI_DRAFT_WARNING_DAYS must be shorter than IMI_DRAFT_DAYS")
        if self.environment in ("demo", "dev", "test"):
            return self
        for name in SECRET_FIELDS:
            value = getattr(self, name).get_secret_value()
            if value == PLACEHOLDER or len(value) < 32:
                raise ValueError(
                    f"IMI_{name.upper()} must be set to a random value of at least 32 characters "
                    f"when IMI_ENVIRONMENT={self.environment}"
                )
        if urlsplit(self.public_url).scheme != "https":
            raise ValueError("IMI_PUBLIC_URL must be the https:// address the browsers use when "
                             f"IMI_ENVIRONMENT={self.environment}: the session cookie is only sent over TLS there")
        return self

    @property
    def session_cookie_secure(self) -> bool:
        """The session cookie's Secure flag: always behind https, and wherever IMI_COOKIE_SECURE asks."""
        return self.cookie_secure or urlsplit(self.public_url).scheme == "https"

    @property
    def mail_dir(self) -> Path:
        return self.data_dir / "mail"

    @property
    def attachment_dir(self) -> Path:
        return self.data_dir / "attachments"

    def secret(self, name: str) -> bytes:
        return getattr(self, name).get_secret_value().encode()


@lru_cache
def get_settings() -> Settings:
    return Settings()
