"""Unexpected errors, reported without their values (SEC-16).

An exception's message may carry what it was working on: PostgreSQL's "Failing row contains (…)"
lists a whole row (a name, an e-mail address, a mail body), a `KeyError` its key. The log gets an
error id, the exception types and where they were raised instead; the user gets the id, so an
administrator can find the entry.
"""

from __future__ import annotations

import logging
import secrets
import traceback
from pathlib import PurePath

from imi_app.core.i18n import N_

logger = logging.getLogger("imi_app.errors")

ERROR_MESSAGE = N_("Something went wrong. If it happens again, give this reference to your administrator: "
                   "{error_id}")
MAX_FRAMES = 12


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception and the ones it was raised from or during, innermost last."""
    seen: list[BaseException] = []
    while exc is not None and exc not in seen:
        seen.append(exc)
        exc = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
    return seen


def _type_name(exc: BaseException) -> str:
    kind = type(exc)
    return kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"


def _where(exc: BaseException) -> str:
    # File, line and function only: no source line, no locals, no message.
    frames = traceback.extract_tb(exc.__traceback__)[-MAX_FRAMES:]
    return " < ".join(f"{'/'.join(PurePath(f.filename).parts[-2:])}:{f.lineno} {f.name}" for f in reversed(frames))


def describe(exc: BaseException) -> str:
    """`TypeA at file:line function < … ; caused by TypeB at …`, nothing the exception carried."""
    return "; caused by ".join(f"{_type_name(e)} at {_where(e) or '?'}" for e in _chain(exc))


def report(exc: BaseException, where: str) -> str:
    """Logs `exc` as an error id and its types and places; returns the id to show the user."""
    error_id = secrets.token_hex(4).upper()
    logger.error("error %s in %s: %s", error_id, where, describe(exc))
    return error_id
