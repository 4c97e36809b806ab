"""Retention of personal data (Regulation 1024/2012 Art. 14, REL-4): blocked 6 months after closure, deleted 3
years after it, per-area periods, drafts, old mail, the run's audit row, batches, two workers, a crash."""

from __future__ import annotations

import asyncio
import os
import threading
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import select

from imi_app import manage
from imi_app.authorities.models import LegislativeArea
from imi_app.core.db import session_scope
from imi_app.core.errors import Denied, ValidationFailed
from imi_app.core.settings import get_settings
from imi_app.core.time import utcnow
from imi_app.mail.models import MailStatus, OutboxMail
from imi_app.mail.transport import eml_path, write_eml
from imi_app.requests import actions as rq
from imi_app.requests import retention
from imi_app.requests.attachments import save_attachment
from imi_app.requests.blocking import OPENED_EVENT, open_blocked_data
from imi_app.requests.detail import request_detail
from imi_app.requests.figures import rebuild
from imi_app.requests.models import (
    Attachment, InfoRequest, RequestEvent, RequestFigures, RequestPerson, RequestQuestion,
)
from imi_app.requests.retention import months_before, periods_in_force, run_retention
from imi_app.ui.privacy import retention_texts
from tests.support import factories as f
from tests.support.request_factories import (
    PersonInput, S, advance, audits, build_world, draft_input, load, mails, new_request, run,
)

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\nQuxleyfile-secret-content\n%%EOF\n"
NAME = "Zebulon Quxleyname"


@pytest.fixture
def w(database):
    return build_world()


def _closed(w, state=S.CLOSED, *, with_file=False, **changes) -> int:
    person = PersonInput(full_name=NAME, birth_date=date(1978, 3, 14), nationality="HU")
    request_id = run(rq.create_draft, actor=w.a_handler, data=draft_input(w, person=person, **changes)).request_id
    if with_file:
        run(save_attachment, actor=w.a_handler, request_id=request_id, filename="diploma.pdf", data=PDF)
    advance(w, request_id, state)
    return request_id


def _events(request_id: int, kind: str) -> list[RequestEvent]:
    with session_scope() as session:
        return list(session.exec(select(RequestEvent).where(RequestEvent.request_id == request_id,
                                                            RequestEvent.kind == kind)).all())


def _after(request_id: int, **delta):
    closed = load(request_id).closed_at
    return closed + timedelta(**delta)


def test_personal_data_is_blocked_six_months_after_closure_and_not_a_day_before(w):
    request_id = _closed(w)
    closed = load(request_id).closed_at
    run_retention(now=months_before(closed, -6) - timedelta(minutes=1))
    assert load(request_id).personal_data_blocked_at is None
    report = run_retention(now=months_before(closed, -6) + timedelta(minutes=1))
    assert report.blocked == 1 and report.case_ids["blocked"] == [load(request_id).case_id]
    assert load(request_id).personal_data_blocked_at is not None
    assert len(_events(request_id, retention.BLOCKED_EVENT)) == 1
    runs = audits(retention.RUN_ACTION)
    assert len(runs) == 2 and runs[-1].after["blocked"] == 1 and runs[0].after["blocked"] == 0


def test_a_blocked_request_is_shown_as_proof_without_its_personal_data(w):
    request_id = _closed(w, with_file=True)
    run_retention(now=_after(request_id, days=200))
    page = run(request_detail, actor=w.a_handler, request_id=request_id, language="en")
    assert page.personal_data_blocked and page.personal_data_blocked_at is not None
    assert page.person is None and page.free_text == "" and page.reply == "" and page.attachments == ()
    assert all(q.answer is None and q.released_answer is None for q in page.questions)
    assert len(page.questions) == 3 and page.case_id and page.status == S.CLOSED  # the proof stays
    assert {e.kind for e in page.timeline} >= {"sent", "accepted", retention.BLOCKED_EVENT}
    assert all(e.note == "" for e in page.timeline)
    assert not page.may_open_blocked  # a handler, not a local data administrator


def test_a_local_data_administrator_opens_blocked_data_for_one_view_with_a_reason(w):
    a_lda = f.user(w.a, username="a.lda", is_lda=True)
    b_lda = f.user(w.b, username="b.lda", is_lda=True)
    request_id = _closed(w)
    run_retention(now=_after(request_id, days=200))
    assert run(request_detail, actor=a_lda, request_id=request_id, language="en").may_open_blocked
    with pytest.raises(ValidationFailed):
        run(open_blocked_data, actor=a_lda, request_id=request_id, reason="", language="en")
    with pytest.raises(Denied):
        run(open_blocked_data, actor=w.a_handler, request_id=request_id, reason="Court order", language="en")
    assert _events(request_id, OPENED_EVENT) == []
    opened = run(open_blocked_data, actor=a_lda, request_id=request_id, reason="Court order 12/2027",
                 language="en")
    assert opened.person is not None and opened.person.full_name == NAME and opened.free_text
    assert [q.released_answer for q in opened.questions if q.released_answer]  # the answers are back
    again = run(request_detail, actor=a_lda, request_id=request_id, language="en")
    assert again.person is None  # that one view only
    entry = audits("request.open_blocked_data")[0]
    assert entry.actor_user_id == a_lda.id and entry.after["reason"] == "Court order 12/2027"
    seen_by_other_lda = run(request_detail, actor=b_lda, request_id=request_id, language="en").timeline
    assert [e.kind for e in seen_by_other_lda if e.kind == OPENED_EVENT] == [OPENED_EVENT]
    seen_by_handler = run(request_detail, actor=w.b_handler, request_id=request_id, language="en").timeline
    assert OPENED_EVENT not in {e.kind for e in seen_by_handler}


def test_withdrawn_counts_as_closed_and_open_requests_are_never_blocked(w):
    withdrawn = _closed(w, S.WITHDRAWN)
    answered = _closed(w, S.ANSWERED)
    run_retention(now=_after(withdrawn, days=3 * 365))
    assert load(withdrawn).personal_data_blocked_at is not None
    assert load(answered).personal_data_blocked_at is None and load(answered).closed_at is None


def _ids_in(model, request_id: int) -> int:
    with session_scope() as session:
        return len(session.exec(select(model).where(model.request_id == request_id)).all())


def test_personal_data_is_deleted_three_years_after_closure_and_the_skeleton_stays(w, test_settings):
    request_id = _closed(w, with_file=True)
    stored = f"{test_settings.attachment_dir}/{_stored_name(request_id)}"
    with session_scope() as session:
        before = session.get(RequestFigures, request_id).model_dump()
    assert _ids_in(OutboxMail, request_id) > 0
    with session_scope() as session:  # as the sender writes them where no SMTP is set up
        written = [eml_path(m, test_settings) for m in session.exec(select(OutboxMail).where(
            OutboxMail.request_id == request_id)).all() if write_eml(m, test_settings) is None]
    assert written and all(path.exists() for path in written)
    deletion_day = months_before(load(request_id).closed_at, -36)
    for path in written:  # young for the run's clock: only the erasure may take them, not their age
        os.utime(path, (deletion_day.timestamp(), deletion_day.timestamp()))
    run_retention(now=months_before(load(request_id).closed_at, -36) - timedelta(minutes=1))
    assert load(request_id).personal_data_deleted_at is None
    report = run_retention(now=months_before(load(request_id).closed_at, -36) + timedelta(minutes=1))
    assert report.deleted == 1 and report.files_removed == 1
    request = load(request_id)
    assert request.personal_data_deleted_at is not None and request.subject == "" and request.free_text == ""
    assert request.case_id and request.status == S.CLOSED and request.area_id == w.pq.id and request.sent_at
    for model in (RequestPerson, Attachment, OutboxMail):
        assert _ids_in(model, request_id) == 0, model
    with session_scope() as session:
        assert all(rq_.answer is None for rq_ in session.exec(
            select(RequestQuestion).where(RequestQuestion.request_id == request_id)))
        events = session.exec(select(RequestEvent).where(RequestEvent.request_id == request_id)).all()
        assert all(e.note == "" and "reply" not in (e.data or {}) for e in events)
        assert all((e.data or {}).get("released", {}).get("answers", {}) == {} for e in events)
        assert session.get(RequestFigures, request_id).model_dump() == before  # the scoreboard keeps its numbers
        assert rebuild(session) == []  # and its timeline still derives them
    assert not Path(stored).exists()
    assert not any(path.exists() for path in written)
    page = run(request_detail, actor=w.b_handler, request_id=request_id, language="en")
    assert page.personal_data_deleted_at is not None and not page.may_open_blocked


def test_mail_files_older_than_the_mail_period_and_abandoned_partial_files_are_removed(w, test_settings):
    test_settings.mail_dir.mkdir(parents=True, exist_ok=True)
    old, new = test_settings.mail_dir / "old-1-x.eml", test_settings.mail_dir / "new-2-x.eml"
    left, writing = (test_settings.mail_dir / "p-3-temporary_password.eml.4242.part",
                     test_settings.mail_dir / "p-4-temporary_password.eml.4243.part")  # of a killed sender; live
    for path in (old, new, left, writing):
        path.write_bytes(b"Subject: x\r\n\r\n")
    now = utcnow()
    aged = (now - timedelta(days=test_settings.mail_keep_days + 1)).timestamp()
    os.utime(old, (aged, aged))
    two_hours = (now - timedelta(hours=2)).timestamp()
    os.utime(left, (two_hours, two_hours))
    report = run_retention(now=now)
    assert report.mail_files_removed == 2 and not old.exists() and not left.exists()
    assert new.exists() and writing.exists()


def _stored_name(request_id: int) -> str:
    with session_scope() as session:
        return session.exec(select(Attachment.stored_name).where(Attachment.request_id == request_id)).one()


def test_an_area_may_keep_data_longer_where_its_sector_act_allows(w):
    assert main_command(["area-retention", w.pq.code, "--block", "18", "--delete", "60"]) == 0
    with session_scope() as session:
        area = session.get(LegislativeArea, w.pq.id)
        assert (area.block_months, area.delete_months) == (18, 60)
    assert audits("area.retention_periods")[-1].after == {"block_months": 18, "delete_months": 60}
    longer = _closed(w)
    b3_handler = f.user(w.b3, username="b3.handler", roles={w.svc.id: ["request_handler"]})
    other = run(rq.create_draft, actor=w.a_handler, data=draft_input(
        w, area_id=w.svc.id, responding_authority_id=w.b3.id, question_ids=[w.questions["q_services"]])).request_id
    run(rq.submit, actor=w.a_handler, request_id=other, expected_version=load(other).version)
    run(rq.withdraw, actor=w.a_handler, request_id=other, expected_version=load(other).version, reason="Done.")
    assert b3_handler.id
    run_retention(now=_after(longer, days=365))
    assert load(longer).personal_data_blocked_at is None and load(other).personal_data_blocked_at is not None
    run_retention(now=_after(longer, days=4 * 365))
    assert load(longer).personal_data_blocked_at is not None and load(longer).personal_data_deleted_at is None
    assert load(other).personal_data_deleted_at is not None
    run_retention(now=_after(longer, days=5 * 365 + 2))
    assert load(longer).personal_data_deleted_at is not None


def test_the_privacy_notice_states_the_periods_the_job_applies(w):
    default, areas = periods_in_force()
    assert (default.block_months, default.delete_months, areas) == (6, 36, [])
    assert main_command(["area-retention", w.pq.code, "--block", "18", "--delete", "60"]) == 0
    default, areas = periods_in_force()
    assert [(a.code, a.periods.block_months, a.periods.delete_months) for a in areas] == [(w.pq.code, 18, 60)]
    text, rows = retention_texts("de", default, areas)
    assert "6 Monate" in text and "3 Jahre" in text
    assert rows == [[w.pq.name_in("de"), "18 Monate", "5 Jahre"]]
    assert main_command(["area-retention", w.pq.code, "--block", "12"]) == 0  # deletion back to the installation's
    assert [(a.periods.block_months, a.periods.delete_months) for a in periods_in_force()[1]] == [(12, 36)]


def test_an_area_period_beyond_the_law_or_deleting_before_blocking_is_refused_and_changes_nothing(w, capsys):
    assert main_command(["area-retention", w.pq.code, "--block", "19"]) == 1
    assert "1 to 18 months" in capsys.readouterr().err
    assert main_command(["area-retention", w.pq.code, "--block", "12", "--delete", "6"]) == 1
    assert main_command(["area-retention", "no_such_area", "--block", "12"]) == 1
    with session_scope() as session:
        area = session.get(LegislativeArea, w.pq.id)
        assert (area.block_months, area.delete_months) == (None, None)
    assert audits("area.retention_periods") == []


def main_command(argv: list[str]) -> int:
    try:
        manage.main(argv)
    except SystemExit as done:
        return int(done.code or 0)
    return 0


def test_a_stale_draft_warns_its_author_once_a_week_before_and_is_then_deleted(w, test_settings):
    draft = _closed(w, S.DRAFT, with_file=True)
    stored = test_settings.attachment_dir / _stored_name(draft)
    changed = load(draft).updated_at
    run_retention(now=changed + timedelta(days=82))
    assert mails(kind="draft_expiry") == []
    run_retention(now=changed + timedelta(days=84))
    run_retention(now=changed + timedelta(days=85))
    warned = mails(kind="draft_expiry")
    assert len(warned) == 1 and warned[0].recipient == w.a_handler.email and load(draft).case_id in warned[0].subject
    report = run_retention(now=changed + timedelta(days=90, minutes=1))
    assert report.drafts_deleted == 1 and load(draft) is None and not stored.exists()
    assert _ids_in(RequestEvent, draft) == 0 and _ids_in(OutboxMail, draft) == 0


def test_a_draft_changed_after_the_warning_is_kept_and_warned_again_later(w):
    draft = _closed(w, S.DRAFT)
    first = load(draft).updated_at
    run_retention(now=first + timedelta(days=84))
    with session_scope() as session:  # the author saves it again 85 days on
        row = session.get(InfoRequest, draft)
        row.updated_at, row.version = first + timedelta(days=85), row.version + 1
        session.add(row)
    run_retention(now=first + timedelta(days=91))
    assert load(draft) is not None and len(mails(kind="draft_expiry")) == 1
    run_retention(now=first + timedelta(days=85 + 84))
    assert len(mails(kind="draft_expiry")) == 2


def test_a_dry_run_lists_what_a_run_would_do_and_changes_nothing(w):
    request_id = _closed(w)
    report = run_retention(now=_after(request_id, days=200), dry_run=True)
    assert report.blocked == 1 and report.case_ids["blocked"] == [load(request_id).case_id]
    assert load(request_id).personal_data_blocked_at is None and audits(retention.RUN_ACTION) == []


def test_mail_that_left_the_outbox_is_deleted_after_its_period_and_pending_mail_is_kept(w):
    request_id = _closed(w, S.SENT)
    with session_scope() as session:
        rows = session.exec(select(OutboxMail).order_by(OutboxMail.id)).all()
        rows[0].status = MailStatus.SENT
        session.add(rows[0])
        kept = len(rows) - 1
    created = load(request_id).created_at
    run_retention(now=created + timedelta(days=89))
    assert len(mails()) == kept + 1
    report = run_retention(now=created + timedelta(days=91))
    assert report.mails_deleted == 1 and len(mails()) == kept


def test_batches_resume_after_a_crash_and_every_request_is_blocked_exactly_once(w, monkeypatch):
    ids = [_closed(w) for _ in range(5)]
    now = _after(ids[-1], days=200)
    real, calls = retention.block_all, []

    def crash_in_the_second_batch(session, request_ids, when):
        calls.append(request_ids)
        real(session, request_ids, when)
        if len(calls) == 2:
            raise RuntimeError("power cut")

    monkeypatch.setattr(retention, "block_all", crash_in_the_second_batch)
    with pytest.raises(RuntimeError):
        run_retention(now=now, batch=2)
    assert [load(i).personal_data_blocked_at is not None for i in ids] == [True, True, False, False, False]
    monkeypatch.setattr(retention, "block_all", real)
    assert run_retention(now=now, batch=2).blocked == 3
    assert all(len(_events(i, retention.BLOCKED_EVENT)) == 1 for i in ids)


def test_two_workers_at_once_block_each_request_once(w):
    ids = [_closed(w) for _ in range(8)]
    now = _after(ids[-1], days=200)
    errors = []

    def worker():
        try:
            run_retention(now=now, batch=3)
        except Exception as error:  # noqa: BLE001 - collected for the assertion
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert all(len(_events(i, retention.BLOCKED_EVENT)) == 1 for i in ids)
    assert sum(entry.after["blocked"] for entry in audits(retention.RUN_ACTION)) == 8


def test_the_local_data_administrators_get_one_report_a_month(w):
    a_lda = f.user(w.a, username="a.lda", is_lda=True, language="de")
    b_lda = f.user(w.b, username="b.lda", is_lda=True)
    request_id = _closed(w)
    blocked_on = _after(request_id, days=200)
    run_retention(now=blocked_on)
    month_after = months_before(blocked_on.replace(day=1, hour=3), -1)
    run_retention(now=month_after)
    run_retention(now=month_after + timedelta(days=1))
    reports = mails(kind="retention_report")
    assert sorted(m.recipient for m in reports) == sorted([a_lda.email, b_lda.email])
    case_id = load(request_id).case_id
    assert all(case_id in m.body_text for m in reports)
    german = next(m for m in reports if m.recipient == a_lda.email)
    assert german.language == "de"


def test_an_attachment_file_no_row_names_is_removed_once_it_is_old(w, test_settings):
    folder = test_settings.attachment_dir
    folder.mkdir(parents=True, exist_ok=True)
    orphan = folder / "left-by-a-crash"
    orphan.write_bytes(b"x")
    request_id = _closed(w, S.SENT, with_file=True)
    run_retention(now=load(request_id).created_at + timedelta(minutes=5))
    assert orphan.exists()  # it may be an upload not committed yet
    run_retention(now=load(request_id).created_at + timedelta(hours=2))
    assert not orphan.exists() and (folder / _stored_name(request_id)).exists()


NEEDLES = (NAME, "Quxleyfile-secret-content", "Verification of a medical diploma", "Twelve years as a surgeon",
           "Please confirm the diploma.")


def test_after_deletion_no_table_holds_anything_of_the_person(w):
    request_id = _closed(w, with_file=True)
    run_retention(now=_after(request_id, days=4 * 365))
    found = []
    with session_scope() as session:
        for table in sa.inspect(session.get_bind()).get_table_names():
            for row in session.execute(sa.text(f'SELECT * FROM "{table}"')):
                text = repr(tuple(row))
                found += [(table, needle) for needle in NEEDLES if needle in text]
    assert found == []


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)  # the raw file of the database
def test_after_deletion_the_database_file_and_data_folder_hold_nothing_of_the_person(w, database, test_settings):
    request_id = _closed(w, with_file=True)
    run_retention(now=_after(request_id, days=4 * 365))
    path = database.removeprefix("sqlite:///")
    found = []
    for candidate in [path, f"{path}-wal", *map(str, test_settings.data_dir.rglob("*"))]:
        try:
            content = open(candidate, "rb").read()
        except (FileNotFoundError, IsADirectoryError):
            continue
        found += [(candidate, needle) for needle in NEEDLES if needle.encode() in content]
    assert found == []


def test_the_daily_round_runs_the_job_in_a_process_of_its_own_once_a_day(w, monkeypatch):
    """The app's lifespan task: the run happens in a child process (`manage retention`) on the same database."""
    due, fresh = _closed(w), _closed(w)
    with session_scope() as session:
        request = session.get(InfoRequest, due)
        request.closed_at = utcnow() - timedelta(days=200)
        session.add(request)
    monkeypatch.setenv("IMI_RETENTION_HOUR", "0")
    get_settings.cache_clear()
    spawned = []
    real = retention.in_own_process

    async def watched(*command, name):
        spawned.append(command)
        return await real(*command, name=name)

    monkeypatch.setattr(retention, "in_own_process", watched)
    asyncio.run(retention.daily_round())
    assert spawned == [("retention",)]
    assert load(due).personal_data_blocked_at is not None and load(fresh).personal_data_blocked_at is None
    assert len(audits(retention.RUN_ACTION)) == 1 and not retention.is_due()
    asyncio.run(retention.daily_round())
    assert spawned == [("retention",)]  # done for today
