"""The audit trail's reads: who sees which entries, each filter, keyset paging, the entry in full and the CSV
(formula-safe, no secret), on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from imi_app.accounts.models import Role, User
from imi_app.accounts.users import UserInput, register_user
from imi_app.mail.models import OutboxMail
from imi_app.audit_trail.trail import AuditFilters, audit_entry, audit_page, export_audit_csv, parse_filters
from imi_app.core import audit
from imi_app.core.audit import AuditEntry
from imi_app.core.db import session_scope
from imi_app.core.errors import Denied, ValidationFailed
from imi_app.requests.models import Attachment, InfoRequest
from tests.conftest import TEST_SECRETS
from tests.support import factories as f

DA = Role.DATA_ADMINISTRATOR


@pytest.fixture
def tree(database):
    """HU: coordinator N → A, B; N → C → E (C a coordinator too). DE: D. Each with an LDA."""
    area = f.area()
    n = f.authority("HU", areas=[area], is_coordinator=True, name="Nemzeti")
    a = f.authority("HU", areas=[area], coordinator=n, name="Alpha")
    b = f.authority("HU", areas=[area], coordinator=n, name="Beta")
    c = f.authority("HU", areas=[area], coordinator=n, is_coordinator=True, name="Gamma")
    e = f.authority("HU", areas=[area], coordinator=c, name="Epsilon")
    d = f.authority("DE", areas=[area], name="Deutsch")
    return {
        "area": area, "N": n, "A": a, "B": b, "C": c, "E": e, "D": d,
        "n_da": f.user(n, username="n.da", roles={area.id: [DA]}), "n_lda": f.user(n, username="n.lda", is_lda=True),
        "a_lda": f.user(a, username="a.lda", is_lda=True), "a_user": f.user(a, username="a.user"),
        "b_lda": f.user(b, username="b.lda", is_lda=True), "e_lda": f.user(e, username="e.lda", is_lda=True),
        "d_lda": f.user(d, username="d.lda", is_lda=True),
    }


def note(actor: User, action: str = "test.thing", object_type: str = "thing", object_id: object = 1,
         before=None, after=None, at: datetime | None = None) -> int:
    with session_scope() as session:
        entry = audit.record(session, action=action, actor=actor, object_type=object_type, object_id=object_id,
                             before=before, after=after)
        if at is not None:
            entry.at = at
        session.flush()
        return entry.id


def ids(reader: User, **filters) -> list[int]:
    page = audit_page(actor=reader, filters=AuditFilters(**filters), limit=1000)
    return [r.id for r in page.rows]


def test_each_administrator_sees_the_entries_of_the_authorities_they_administer(tree):
    mine = {k: note(tree[k]) for k in ("n_da", "n_lda", "a_lda", "a_user", "b_lda", "e_lda", "d_lda")}
    assert set(ids(tree["a_lda"])) == {mine["a_lda"], mine["a_user"]}  # the own authority only
    assert set(ids(tree["d_lda"])) == {mine["d_lda"]}
    assert set(ids(tree["n_lda"])) == {mine["n_da"], mine["n_lda"]}  # an LDA of the coordinator: its own
    # the coordinator's data administrator: every authority below it, at any depth
    assert set(ids(tree["n_da"])) == {mine[k] for k in ("a_lda", "a_user", "b_lda", "e_lda")}
    for outsider in ("a_user",):
        with pytest.raises(Denied):
            audit_page(actor=tree[outsider], filters=AuditFilters())
        with pytest.raises(Denied):
            export_audit_csv(actor=tree[outsider], filters=AuditFilters())
    assert ids(tree["a_lda"]) == sorted(ids(tree["a_lda"]), reverse=True)  # newest first


def test_an_entry_opens_only_for_those_who_see_it(tree):
    entry = note(tree["b_lda"], before={"full_name": "Old"}, after={"full_name": "New", "password": "x"})
    detail = audit_entry(actor=tree["n_da"], entry_id=entry)
    assert detail.before == {"full_name": "Old"} and detail.after == {"full_name": "New"}
    assert detail.row.username == "b.lda" and detail.row.authority == "Beta" and len(detail.chain_hash) == 64
    assert audit_entry(actor=tree["b_lda"], entry_id=entry).row.id == entry
    for other in ("a_lda", "d_lda", "a_user", "n_lda"):
        with pytest.raises(Denied):
            audit_entry(actor=tree[other], entry_id=entry)
    for bad in (None, "1", -1, 10**30, 99999):
        with pytest.raises(Denied):
            audit_entry(actor=tree["n_da"], entry_id=bad)


def test_each_filter(tree):
    lda, user = tree["a_lda"], tree["a_user"]
    by_user = note(user, action="user.update", object_type="user", object_id=7,
                   at=datetime(2026, 3, 1, 12, tzinfo=UTC))
    by_lda = note(lda, action="user.create", object_type="user", object_id=8, at=datetime(2026, 3, 5, 23, 59, tzinfo=UTC))
    other_type = note(lda, action="authority.update", object_type="authority", object_id=7,
                      at=datetime(2026, 3, 10, tzinfo=UTC))
    assert ids(lda, actor="A.USER") == [by_user]  # usernames match as they are matched at sign-in
    assert ids(lda, actor="nobody") == []
    assert ids(lda, action="user.create") == [by_lda]
    assert ids(lda, object_type="user") == [by_lda, by_user]
    assert ids(lda, object_type="user", object_id="7") == [by_user]
    assert ids(lda, object_id="7") == [other_type, by_user]
    assert ids(lda, first_day=date(2026, 3, 5)) == [other_type, by_lda]
    assert ids(lda, first_day=date(2026, 3, 2), last_day=date(2026, 3, 5)) == [by_lda]  # the last day included
    assert ids(lda, last_day=date(2026, 3, 4)) == [by_user]
    page = audit_page(actor=lda, filters=AuditFilters())
    assert {"user.update", "user.create", "authority.update"} <= set(page.actions)
    assert {"user", "authority"} <= set(page.object_types)


def test_the_case_id_filter_finds_the_request_and_its_files(tree):
    lda = tree["a_lda"]
    with session_scope() as session:
        request = InfoRequest(case_id="HU-2026-000042", requesting_authority_id=tree["A"].id,
                              responding_authority_id=tree["B"].id, area_id=tree["area"].id, subject="S",
                              created_by_user_id=lda.id)
        session.add(request)
        session.flush()
        attachment = Attachment(request_id=request.id, stored_name="x", original_name="a.pdf",
                                content_type="application/pdf", size=1, uploaded_by_user_id=lda.id)
        session.add(attachment)
        session.flush()
        request_id, attachment_id = request.id, attachment.id
    on_request = note(lda, action="request.create", object_type="info_request", object_id=request_id)
    on_file = note(lda, action="request.attach", object_type="attachment", object_id=attachment_id)
    note(lda, action="request.create", object_type="info_request", object_id=request_id + 1)
    note(lda, action="user.update", object_type="user", object_id=request_id)
    assert ids(lda, case_id="HU-2026-000042") == [on_file, on_request]
    assert ids(lda, case_id="hu-2026-000042") == [on_file, on_request]
    assert ids(lda, case_id="HU-2026-999999") == []


def test_keyset_paging_newest_first(tree):
    lda = tree["a_lda"]
    written = [note(lda, object_id=n) for n in range(7)]
    seen, cursor = [], None
    while True:
        page = audit_page(actor=lda, filters=AuditFilters(), after=cursor, limit=3)
        seen += [r.id for r in page.rows]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == sorted(written, reverse=True)
    newer = note(lda)  # an entry written meanwhile does not shift the pages already being read
    page = audit_page(actor=lda, filters=AuditFilters(), after=written[4], limit=3)
    assert [r.id for r in page.rows] == [written[3], written[2], written[1]] and newer not in seen
    assert audit_page(actor=lda, filters=AuditFilters(), after="5; DROP", limit=3).rows[0].id == newer


@pytest.mark.parametrize("raw, field", [
    ({"first_day": "2026-13-01"}, "first_day"), ({"last_day": "yesterday"}, "last_day"),
    ({"first_day": "2026-03-05", "last_day": "2026-03-01"}, "last_day"), ({"actor": "x" * 65}, "actor"),
    ({"action": ["a"]}, "action"), ({"case_id": "HU\x00"}, "case_id"), ({"object_id": "\ud800"}, "object_id"),
])
def test_bad_filters_are_named_beside_their_field(raw, field):
    with pytest.raises(ValidationFailed) as refused:
        parse_filters(raw)
    assert set(refused.value.errors) == {field}


def test_filters_parse_as_typed():
    assert parse_filters({"actor": " a.user ", "first_day": "2026-03-01", "last_day": ""}) == AuditFilters(
        actor="a.user", first_day=date(2026, 3, 1))
    assert parse_filters(None) == AuditFilters()


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_the_csv_is_formula_safe_and_filtered(tree):
    lda = tree["a_lda"]
    dangerous = ["=HYPERLINK(\"http://x\")", "+1", "-1", "@SUM(A1)", "\tx", "\rx"]
    for n, value in enumerate(dangerous):
        note(lda, action="test.formula", object_type="thing", object_id=value, after={"v": value})
    note(tree["b_lda"], action="test.formula", object_id="=other authority")
    text = export_audit_csv(actor=lda, filters=AuditFilters(action="test.formula"), language="de")
    table = rows_of(text)
    body = table[1:]
    assert len(body) == len(dangerous)
    assert [row[6] for row in body] == ["'" + v for v in reversed(dangerous)]
    for row in body:
        assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)


def test_no_secret_reaches_the_csv(tree):
    lda = tree["a_lda"]
    created = register_user(actor=lda, data=UserInput(
        family_name="Kovács", given_name="Anna", email="anna@example.hu", phone="", language="hu", is_lda=False,
        roles={tree["area"].id: [Role.REQUEST_HANDLER]}))
    with session_scope() as session:
        mail = session.exec(select(OutboxMail).where(OutboxMail.user_id == created.id)).one()
        temporary = re.search(r"\b([A-HJ-NP-Za-km-z2-9]{20})\b", mail.body_text).group(1)
    note(lda, action="test.secret", after={"password": "hunter2-secret", "token": "tok-123", "code": "9876",
                                           "note": "kept"})
    with session_scope() as session:
        hashes = [u.password_hash for u in session.exec(select(User)).all()]
    text = export_audit_csv(actor=lda, filters=AuditFilters())
    assert "kept" in text and "user.register" in text  # the registration is there, its password is not
    for secret in [*TEST_SECRETS.values(), "hunter2-secret", "tok-123", *hashes, temporary]:
        assert secret not in text
    # and the entries themselves hold none
    with session_scope() as session:
        dump = repr([(e.before, e.after) for e in session.exec(select(AuditEntry)).all()])
    assert "hunter2-secret" not in dump
