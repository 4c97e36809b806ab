"""Request files: size limit, allow-list by content, storage outside the database, access control, deletion."""

from __future__ import annotations

import io
import stat
import zipfile

import pytest
from sqlmodel import select

from imi_app.core.db import session_scope
from imi_app.requests.models import Attachment, RequestStatus
from imi_app.requests import actions as rq
from imi_app.requests.attachments import delete_attachment, detect_type, read_attachment, save_attachment
from imi_app.core.errors import Conflict, Denied, ValidationFailed
from imi_app.requests.detail import request_detail
from imi_app.core.settings import get_settings
from tests.support import request_factories as rf

S = RequestStatus
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"})


@pytest.fixture
def w(database):
    return rf.build_world()


def _save(actor, request_id, name, data):
    return rf.run(save_attachment, actor=actor, request_id=request_id, filename=name, data=data)


def _stored() -> list[str]:
    folder = get_settings().attachment_dir
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@pytest.mark.parametrize(("name", "data"), [("diploma.pdf", PDF), ("scan.PNG", PNG), ("photo.jpeg", b"\xff\xd8\xff\xe0"
                                            + b"\x00" * 20), ("letter.docx", DOCX), ("letter.odt", ODT),
                                           ("note.txt", "Árvíztűrő tükörfúrógép\n".encode())])
def test_allowed_types_are_stored_privately_under_a_random_name(w, name, data):
    request_id = rf.new_request(w)
    info = _save(w.a_handler, request_id, name, data)
    with session_scope() as session:
        row = session.get(Attachment, info.id)
    path = get_settings().attachment_dir / row.stored_name
    assert len(row.stored_name) == 32 and all(c in "0123456789abcdef" for c in row.stored_name)
    assert path.read_bytes() == data and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert info.name == name and info.size == len(data) and name not in str(path)


@pytest.mark.parametrize(("name", "data", "message"), [
    ("invoice.pdf", EXE, "The file's content does not match its type."),
    ("scan.pdf", PNG, "The file's content does not match its type."),
    ("notes.txt", b"abc\x00def", "The file's content does not match its type."),
    ("notes.txt", b"\xff\xfe\x00bad", "The file's content does not match its type."),
    ("letter.docx", _zip({"readme.txt": b"hello"}), "The file's content does not match its type."),
    ("letter.docx", ODT, "The file's content does not match its type."),
    ("tool.exe", EXE, "This type of file is not allowed. Allowed: PDF, PNG, JPG, DOCX, ODT, TXT."),
    ("README", b"plain", "This type of file is not allowed. Allowed: PDF, PNG, JPG, DOCX, ODT, TXT."),
    ("empty.pdf", b"", "The file is empty."),
    ("../../etc/\x07passwd.txt", b"x", "This value is not valid."),
])
def test_disguised_or_unknown_files_are_refused(w, name, data, message):
    request_id = rf.new_request(w)
    with pytest.raises(ValidationFailed) as caught:
        _save(w.a_handler, request_id, name, data)
    assert caught.value.errors == {"file": message}
    assert _stored() == []


def test_path_parts_of_the_name_are_dropped(w):
    info = _save(w.a_handler, rf.new_request(w), "C:\\Users\\x\\..\\diploma.pdf", PDF)
    assert info.name == "diploma.pdf"


def test_size_limit_comes_from_the_settings(w, monkeypatch):
    assert get_settings().attachment_max_bytes == 10 * 1024 * 1024
    monkeypatch.setenv("IMI_ATTACHMENT_MAX_BYTES", "100")
    get_settings.cache_clear()
    request_id = rf.new_request(w)
    with pytest.raises(ValidationFailed) as caught:
        _save(w.a_handler, request_id, "big.txt", b"x" * 101)
    assert caught.value.errors == {"file": "The file is larger than the allowed size."}
    assert _save(w.a_handler, request_id, "ok.txt", b"x" * 100).size == 100


def test_detect_type_ignores_names():
    assert [detect_type(d) for d in (PDF, PNG, DOCX, ODT, EXE, b"hello")] == ["pdf", "png", "docx", "odt", None, "txt"]


def test_who_may_read_a_file(w):
    request_id = rf.new_request(w)
    info = _save(w.a_handler, request_id, "diploma.pdf", PDF)
    with pytest.raises(Denied):  # not sent yet
        rf.run(read_attachment, actor=w.b_handler, attachment_id=info.id)
    rf.advance(w, request_id, S.ACCEPTED)
    for reader in (w.a_handler, w.a_basic, w.b_handler, w.b_basic):
        assert rf.run(read_attachment, actor=reader, attachment_id=info.id).data == PDF
    for stranger in (w.c_handler, w.b2_handler, w.hu_da):
        with pytest.raises(Denied):
            rf.run(read_attachment, actor=stranger, attachment_id=info.id)
    with pytest.raises(Denied):
        rf.run(read_attachment, actor=w.a_handler, attachment_id=999_999)
    assert len(rf.audits("access.denied")) == 5


def test_the_responders_file_reaches_the_requester_with_the_answer(w):
    request_id = rf.new_request(w, S.ACCEPTED)
    with pytest.raises(Conflict):  # the requester adds files only to its draft
        _save(w.a_handler, request_id, "late.pdf", PDF)
    with pytest.raises(Denied):
        _save(w.b_basic, request_id, "x.pdf", PDF)
    info = _save(w.b_handler, request_id, "certificate.pdf", PDF)
    assert rf.run(request_detail, actor=w.a_handler, request_id=request_id, language="en").attachments == ()
    with pytest.raises(Denied):
        rf.run(read_attachment, actor=w.a_handler, attachment_id=info.id)
    rf.step(rq.answer, w.b_handler, request_id, answers=rf.answers_for(w))
    assert rf.run(read_attachment, actor=w.a_handler, attachment_id=info.id).data == PDF
    detail = rf.run(request_detail, actor=w.a_handler, request_id=request_id, language="en")
    names = [a.name for a in detail.attachments]
    assert names == ["certificate.pdf"]
    in_referral = rf.new_request(w, S.IN_REFERRAL)
    assert rf.run(request_detail, actor=w.de_da, request_id=in_referral, language="en").attachments == ()


def test_only_the_own_side_removes_its_files_while_it_may_add_them(w):
    request_id = rf.new_request(w)
    info = _save(w.a_handler, request_id, "diploma.pdf", PDF)
    rf.run(delete_attachment, actor=w.a_handler2, attachment_id=info.id)
    assert _stored() == []
    again = _save(w.a_handler, request_id, "diploma.pdf", PDF)
    rf.advance(w, request_id, S.ACCEPTED)
    with pytest.raises(Denied):
        rf.run(delete_attachment, actor=w.b_handler, attachment_id=again.id)
    with pytest.raises(Denied):
        rf.run(delete_attachment, actor=w.a_handler, attachment_id=again.id)  # already sent
    assert len(_stored()) == 1


def test_deleting_a_draft_deletes_its_files_after_commit(w):
    request_id = rf.new_request(w)
    _save(w.a_handler, request_id, "a.pdf", PDF)
    _save(w.a_handler, request_id, "b.txt", b"hello")
    assert len(_stored()) == 2
    with pytest.raises(RuntimeError), session_scope() as session:
        rq.delete_draft(session, actor=w.a_handler, request_id=request_id, expected_version=1)
        raise RuntimeError("rolled back")
    assert len(_stored()) == 2 and rf.load(request_id) is not None
    rf.run(rq.delete_draft, actor=w.a_handler, request_id=request_id, expected_version=1)
    assert _stored() == [] and rf.load(request_id) is None
    with session_scope() as session:
        assert session.exec(select(Attachment)).all() == []


def test_a_save_that_rolls_back_leaves_no_file(w):
    request_id = rf.new_request(w)
    with pytest.raises(RuntimeError), session_scope() as session:
        save_attachment(session, actor=w.a_handler, request_id=request_id, filename="a.pdf", data=PDF)
        assert len(_stored()) == 1
        raise RuntimeError("rolled back")
    assert _stored() == []
