"""The data subject's rights (Regulation 1024/2012 Art. 19): a local data administrator finds the own authority's
exchanges about a person, exports what is held, corrects a field and erases early, each checked and audited."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlmodel import select

from imi_app.core.db import session_scope
from imi_app.core.errors import Denied, ValidationFailed
from imi_app.requests import actions as rq
from imi_app.requests.data_subject import (
    CORRECTED_EVENT, ERASED_EVENT, SubjectCriteria, correct_person_data, erase_early, find_subject, parse_criteria,
)
from imi_app.requests.detail import request_detail
from imi_app.requests.models import InfoRequest, RequestEvent, RequestPerson
from imi_app.requests.retention import block_personal_data, run_retention
from imi_app.requests.subject_export import export_subject
from tests.support import factories as f
from tests.support.request_factories import (
    PersonInput, S, advance, audits, build_world, draft_input, load, mails, run,
)

NAME = "Dr. Ágnes Öllős-Kovács"


@pytest.fixture
def w(database):
    world = build_world()
    world.users["a_lda"] = f.user(world.a, username="a.lda", is_lda=True, language="hu")
    world.users["b_lda"] = f.user(world.b, username="b.lda", is_lda=True, language="de")
    world.users["c_lda"] = f.user(world.c, username="c.lda", is_lda=True)
    return world


def _exchange(w, state=S.CLOSED, *, name=NAME, number="HU-123 456", responder=None, actor=None) -> int:
    person = PersonInput(full_name=name, birth_date=date(1981, 5, 2), nationality="HU", registration_number=number,
                         address="Budapest, Fő utca 1.")
    changes = {"responding_authority_id": responder} if responder else {}
    request_id = run(rq.create_draft, actor=actor or w.a_handler,
                     data=draft_input(w, person=person, **changes)).request_id
    advance(w, request_id, state)
    return request_id


def _block(request_id: int) -> None:
    closed = load(request_id).closed_at
    with session_scope() as session:
        block_personal_data(session, session.get(InfoRequest, request_id), closed)


def _find(w, user="a_lda", **criteria):
    return run(find_subject, actor=w.users[user], criteria=SubjectCriteria(**criteria), language="en")[0]


def test_the_search_ignores_accents_case_word_order_and_the_identifiers_spacing(w):
    closed = _exchange(w)
    _exchange(w, S.CLOSED, name="Kovács Péter", number="X-1")
    for typed in ("agnes ollos", "ÖLLŐS-KOVÁCS", "kovacs agnes", "Öllős"):
        assert [h.request_id for h in _find(w, name=typed)] == [closed], typed
    assert [h.request_id for h in _find(w, identifier="hu123456")] == [closed]
    assert [h.request_id for h in _find(w, name="agnes", birth_date=date(1981, 5, 2))] == [closed]
    assert _find(w, name="agnes", birth_date=date(1981, 5, 3)) == []
    hit = _find(w, name="agnes")[0]
    assert hit.full_name == NAME and hit.outgoing and hit.counterpart == "Ärztekammer Berlin" and hit.may_change
    # The responding authority's administrator finds it too, once it was sent to them; nobody else does.
    assert [h.request_id for h in _find(w, "b_lda", name="agnes")] == [closed]
    assert _find(w, "c_lda", name="agnes") == []


def test_blocked_exchanges_are_found_and_marked_and_deleted_ones_are_gone(w):
    blocked, deleted = _exchange(w), _exchange(w)
    _block(blocked)
    run_retention(now=load(deleted).closed_at + timedelta(days=4 * 365))  # both: deleted after three years
    assert _find(w, name="agnes") == []
    fresh = _exchange(w)
    _block(fresh)
    [hit] = _find(w, name="agnes")
    assert hit.request_id == fresh and hit.blocked_at is not None


def test_a_search_needs_a_criterion_and_only_a_local_data_administrator_may_search(w):
    with pytest.raises(ValidationFailed) as empty:
        parse_criteria("  ", "", "")
    assert "name" in empty.value.errors
    with pytest.raises(ValidationFailed) as short:
        parse_criteria("a", "", "")
    assert "name" in short.value.errors
    with pytest.raises(ValidationFailed) as bad_day:
        parse_criteria("", "2020-13-40", "")
    assert "birth_date" in bad_day.value.errors
    assert parse_criteria(" Ágnes ", "1981-05-02", "").birth_date == date(1981, 5, 2)
    with pytest.raises(Denied):
        run(find_subject, actor=w.a_handler, criteria=SubjectCriteria(name="agnes"), language="en")
    assert audits("access.denied")[-1].after["attempted"] == "data_subject.search"


def test_the_export_holds_the_person_the_answers_and_every_authority_that_saw_them(w):
    request_id = _exchange(w)
    _block(request_id)
    file = run(export_subject, actor=w.a_lda, criteria=SubjectCriteria(name="agnes"), kind="json", language="hu")
    document = json.loads(file.data)
    [exchange] = document["exchanges"]
    assert exchange["case_id"] == load(request_id).case_id and exchange["blocked_at"]  # blocked data included
    assert exchange["person"]["full_name"] == NAME and exchange["person"]["registration_number"] == "HU-123 456"
    assert exchange["status_label"] == "Lezárva" and exchange["questions"]
    assert any(q["answer"] for q in exchange["questions"])
    assert {a["name"] for a in exchange["seen_by"]} >= {"Magyar Orvosi Kamara", "Ärztekammer Berlin"}
    assert file.filename.endswith(".json")
    pdf = run(export_subject, actor=w.a_lda, criteria=SubjectCriteria(name="agnes"), kind="pdf", language="hu")
    assert pdf.data.startswith(b"%PDF") and pdf.mime_type == "application/pdf"
    assert [e.after["format"] for e in audits("data_subject.export")] == ["json", "pdf"]
    with pytest.raises(ValidationFailed):
        run(export_subject, actor=w.a_lda, criteria=SubjectCriteria(name="nobody"), kind="pdf", language="hu")
    with pytest.raises(Denied):
        run(export_subject, actor=w.b_handler, criteria=SubjectCriteria(name="agnes"), kind="json", language="en")


def _person(request_id: int) -> RequestPerson:
    with session_scope() as session:
        return session.get(RequestPerson, request_id)


def test_a_correction_keeps_old_and_new_in_the_audit_log_and_tells_the_other_authority(w):
    request_id = _exchange(w, S.ACCEPTED)
    version = load(request_id).version
    run(correct_person_data, actor=w.b_lda, request_id=request_id, field="birth_date", value="1981-05-20",
        reason="The person showed a passport.")
    assert _person(request_id).birth_date == date(1981, 5, 20) and load(request_id).version == version + 1
    entry = audits("request.correct_personal_data")[-1]
    assert entry.before["birth_date"] == "1981-05-02" and entry.after["birth_date"] == "1981-05-20"
    told = mails(kind=CORRECTED_EVENT)
    assert [m.recipient for m in told] == [w.a_lda.email] and "Születési" in told[0].body_text  # in Hungarian
    timeline = run(request_detail, actor=w.a_handler, request_id=request_id, language="en").timeline
    assert [e.data.get("field") for e in timeline if e.kind == CORRECTED_EVENT] == ["birth_date"]
    # The name key follows the correction: the search finds the new name.
    run(correct_person_data, actor=w.a_lda, request_id=request_id, field="full_name", value="Dr. Ágnes Kovács",
        reason="Name changed on marriage.")
    assert [h.request_id for h in _find(w, name="agnes kovacs")] == [request_id]


@pytest.mark.parametrize("field, value, error", [
    ("birth_date", "2999-01-01", "value"), ("birth_date", "not a date", "value"), ("full_name", "", "value"),
    ("full_name", "Dr. Ágnes Öllős-Kovács", "value"), ("password", "x", "field"), ("address", "x\x00y", "value"),
])
def test_a_wrong_correction_is_named_and_changes_nothing(w, field, value, error):
    request_id = _exchange(w, S.ACCEPTED)
    before = _person(request_id).model_dump()
    with pytest.raises(ValidationFailed) as refused:
        run(correct_person_data, actor=w.a_lda, request_id=request_id, field=field, value=value, reason="Passport.")
    assert error in refused.value.errors
    with pytest.raises(ValidationFailed) as no_reason:
        run(correct_person_data, actor=w.a_lda, request_id=request_id, field="nationality", value="AT", reason=" ")
    assert "reason" in no_reason.value.errors
    assert _person(request_id).model_dump() == before and audits("request.correct_personal_data") == []


def test_only_the_participants_local_data_administrators_may_correct_or_erase(w):
    request_id = _exchange(w)
    draft = _exchange(w, S.DRAFT)
    for user, target in (("a_handler", request_id), ("c_lda", request_id), ("hu_da", request_id),
                         ("b_lda", draft)):
        with pytest.raises(Denied):
            run(correct_person_data, actor=w.users[user], request_id=target, field="nationality", value="AT",
                reason="Passport.")
        with pytest.raises(Denied):
            run(erase_early, actor=w.users[user], request_id=target, ground="consent", reason="Asked by e-mail.")
    assert _person(request_id).nationality == "HU" and load(request_id).personal_data_deleted_at is None


def test_early_erasure_of_a_closed_exchange_deletes_its_personal_data_with_the_reason_for_the_ldas(w):
    still_open = _exchange(w, S.ACCEPTED)
    with pytest.raises(ValidationFailed) as refused:
        run(erase_early, actor=w.a_lda, request_id=still_open, ground="consent", reason="Asked by e-mail.")
    assert "ground" in refused.value.errors
    request_id = _exchange(w)
    with pytest.raises(ValidationFailed) as no_ground:
        run(erase_early, actor=w.a_lda, request_id=request_id, ground="whim", reason="")
    assert set(no_ground.value.errors) == {"ground", "reason"}
    assert load(request_id).personal_data_deleted_at is None
    run(erase_early, actor=w.a_lda, request_id=request_id, ground="court_order", reason="Court order 7/2027")
    request = load(request_id)
    assert request.personal_data_deleted_at is not None and _person(request_id) is None and request.subject == ""
    assert audits("request.erase_personal_data")[-1].after["ground"] == "court_order"
    assert [m.recipient for m in mails(kind=ERASED_EVENT)] == [w.b_lda.email]
    for_lda = run(request_detail, actor=w.b_lda, request_id=request_id, language="en").timeline
    assert [e.note for e in for_lda if e.kind == ERASED_EVENT] == ["Court order 7/2027"]
    for_handler = run(request_detail, actor=w.b_handler, request_id=request_id, language="en").timeline
    assert ERASED_EVENT not in {e.kind for e in for_handler}
    with session_scope() as session:
        notes = session.exec(select(RequestEvent.note).where(RequestEvent.request_id == request_id)).all()
    assert set(notes) <= {"", "Court order 7/2027"}  # every other note went with the personal data
    assert _find(w, name="agnes") == [h for h in _find(w, name="agnes") if h.request_id == still_open]
