"""The app's process as the crash tests (REL-6) kill it: `python -m tests.support.crash_launcher`.

It imports the app once and then, for each line `<job> <json parameters>` on stdin, forks a process
that does the job against the database of its environment (IMI_DATABASE_URL) until it is killed or
the job is done. Nothing here ever opens the database, so each fork starts like the app after a
restart: its own new connections, nothing shared with the one killed before it. Forking instead of
starting Python again saves the second of imports that each of the twenty restarts would cost.

Every line on stdout names the process it is about:
    started <pid>                    the fork is running
    ack <pid> <request id> <version> <status>   a request step whose commit has returned
    sent <pid> <count>               the outbox is empty (the sender job is done)
    ended <pid> <exit code>          -9 when it was killed
"""

from __future__ import annotations

import itertools
import json
import os
import sys
import traceback
from datetime import date, timedelta

from sqlalchemy.orm import configure_mappers

from imi_app.accounts.models import User
from imi_app.core.db import session_scope
from imi_app.core.i18n import available_languages, gettext
from imi_app.core.time import utcnow
from imi_app.mail.sender import deliver_due
from imi_app.requests import service
from imi_app.requests.inputs import DraftInput, PersonInput
from imi_app.requests.steps import STEPS

WITHDRAWAL_REASON = "The applicant has withdrawn the application."


def say(*words: object) -> None:
    # One write(2) per line, below PIPE_BUF: a kill leaves whole lines or none (print would write the
    # words one by one when Python runs unbuffered), and the test reads each line at once.
    os.write(sys.stdout.fileno(), f"{' '.join(map(str, words))}\n".encode())


def _users(*ids: int) -> list[User]:
    with session_scope() as session:
        return [session.get(User, user_id) for user_id in ids]


def _draft(params: dict) -> DraftInput:
    return DraftInput(area_id=params["area"], responding_authority_id=params["responding_authority"],
                      subject="Verification of a medical diploma", free_text="Please confirm the diploma.",
                      proposed_reply_date=utcnow().date() + timedelta(days=20), question_ids=params["questions"],
                      person=PersonInput(full_name="Dr. Kiss János", birth_date=date(1978, 3, 14),
                                         nationality="HU"))


def write_requests(params: dict) -> None:
    """Request steps as the screens take them, one transaction each, for ever: a request saved and sent
    (it tells the responding authority), then withdrawn (the responder's handlers are told) or
    accepted (nobody is told), in turn."""
    requester, responder = _users(params["requester"], params["responder"])
    draft = _draft(params)
    for number in itertools.count():
        sent = service.save_and_submit(actor=requester, request_id=None, expected_version=0, data=draft)
        say("ack", os.getpid(), sent.request_id, sent.version, sent.status)
        name, actor, form = (("accept", responder, {"reply_choice": "proposed"}) if number % 2
                             else ("withdraw", requester, {"reason": WITHDRAWAL_REASON}))
        done = service.take_step(actor=actor, name=name, request_id=sent.request_id, expected_version=sent.version,
                                 arguments=STEPS[name].arguments(form), language="en").result
        say("ack", os.getpid(), done.request_id, done.version, done.status)


def send_outbox(params: dict) -> None:
    """The background sender's work until nothing is due, `later` seconds from now: a sender restarted
    after the claims of the one that died have lapsed (sender.CLAIM_LEASE)."""
    now = utcnow() + timedelta(seconds=params.get("later", 0))
    say("sent", os.getpid(), deliver_due(now=now, limit=10**6))


JOBS = {"writer": write_requests, "sender": send_outbox}


def _child(job: str, params: dict) -> None:
    code = 0
    try:
        say("started", os.getpid())
        JOBS[job](params)
    except BaseException:  # noqa: BLE001 - reported on stderr and in the exit code
        traceback.print_exc()
        code = 1
    finally:
        sys.stderr.flush()
        os._exit(code)


def main() -> None:
    # What the app does once at start, not again in the first transaction of every fork.
    configure_mappers()
    for language in available_languages():
        gettext(language, "")
    for line in sys.stdin:
        job, _, raw = line.strip().partition(" ")
        if not job:
            continue
        pid = os.fork()
        if pid == 0:
            _child(job, json.loads(raw or "{}"))
        _, status = os.waitpid(pid, 0)
        say("ended", pid, os.waitstatus_to_exitcode(status))


if __name__ == "__main__":
    main()
