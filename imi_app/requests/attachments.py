"""A request's files: checked by content, stored outside the database under a random name, read only if allowed."""

from __future__ import annotations

import io
import os
import secrets
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session, select

from imi_app.core.i18n import N_
from imi_app.requests.models import Attachment, InfoRequest
from imi_app.accounts.models import User
from imi_app.core.time import as_utc
from imi_app.requests import rules as _rules  # noqa: F401 - registers the request rules
from imi_app.policy import can
from imi_app.core import audit
from imi_app.core.errors import Conflict, ValidationFailed
from imi_app.core.edges import is_id
from imi_app.requests.lifecycle import (
    APPROVER, FORMER_RESPONDER, FULL, REQUESTER, RESPONDER, TRANSITIONS, Standing, last_release, standing,
)
from imi_app.requests.frame import NOT_NOW, denied, load_for_update, record_event
from imi_app.core.validation import has_control_chars
from imi_app.core.settings import get_settings

MAX_FILES_AT_ONCE = 10  # the files one upload takes; any beyond are left out
UPLOAD_ALLOWANCE = 1024 * 1024  # the multipart framing and the form's other fields beside the files


def upload_body_limit() -> int:
    """The largest upload body accepted, refused above it before anyone reads it (the app's upload guard
    and the proxy's body limit): as many files at once as an upload takes, each at the size limit, and
    their framing."""
    return get_settings().attachment_max_bytes * MAX_FILES_AT_ONCE + UPLOAD_ALLOWANCE

# Extension -> (canonical type, MIME type) of the allow-list.
TYPES = {
    "pdf": ("pdf", "application/pdf"), "png": ("png", "image/png"), "jpg": ("jpg", "image/jpeg"),
    "jpeg": ("jpg", "image/jpeg"), "txt": ("txt", "text/plain"),
    "docx": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "odt": ("odt", "application/vnd.oasis.opendocument.text"),
}
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


@dataclass(frozen=True)
class AttachmentInfo:
    id: int
    request_id: int
    name: str
    content_type: str
    size: int
    created_at: datetime | None
    side: str  # REQUESTER or RESPONDER: whose file it is


@dataclass(frozen=True)
class AttachmentFile:
    info: AttachmentInfo
    data: bytes


def detect_type(data: bytes) -> str | None:
    """The allow-listed type the bytes really are, by their content (never by the name)."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"PK\x03\x04"):
        return _office_type(data)
    if b"\x00" in data:
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return "txt"


def _office_type(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return "docx"
            # Only the tiny first entry is read: a zip bomb elsewhere in the archive stays packed.
            if "mimetype" in names and archive.getinfo("mimetype").file_size <= 100 \
                    and archive.read("mimetype").strip() == ODT_MIMETYPE:
                return "odt"
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError, NotImplementedError):
        return None
    return None


def clean_name(filename: object) -> str | None:
    if not isinstance(filename, str):
        return None
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not name or name in (".", "..") or len(name) > 255 or has_control_chars(name):
        return None
    return name


def _check(filename: object, data: object) -> tuple[str, str]:
    """(clean name, MIME type) or ValidationFailed on the "file" field."""
    name = clean_name(filename)
    if name is None or not isinstance(data, (bytes, bytearray)):
        raise ValidationFailed({"file": N_("This value is not valid.")})
    if len(data) == 0:
        raise ValidationFailed({"file": N_("The file is empty.")})
    if len(data) > get_settings().attachment_max_bytes:
        raise ValidationFailed({"file": N_("The file is larger than the allowed size.")})
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in TYPES:
        raise ValidationFailed({"file": N_("This type of file is not allowed. Allowed: PDF, PNG, JPG, DOCX, ODT, "
                                           "TXT.")})
    kind, mime = TYPES[extension]
    if detect_type(bytes(data)) != kind:
        raise ValidationFailed({"file": N_("The file's content does not match its type.")})
    return name, mime


def storage_dir() -> Path:
    path = get_settings().attachment_dir
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def _write(data: bytes) -> str:
    stored_name = secrets.token_hex(16)
    fd = os.open(storage_dir() / stored_name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    return stored_name


def _remove(stored_names: list[str]) -> None:
    for stored_name in stored_names:
        try:
            (get_settings().attachment_dir / stored_name).unlink()
        except FileNotFoundError:
            pass


def after_transaction(session: Session, *, on_commit=None, on_rollback=None) -> None:
    """Runs one callback when the session's current transaction ends: committed, or not (rolled back/closed)."""
    state = {"committed": False, "done": False}

    def committed(_session) -> None:
        state["committed"] = True

    def ended(_session, transaction) -> None:
        if state["done"] or transaction.parent is not None:
            return
        state["done"] = True
        callback = on_commit if state["committed"] else on_rollback
        if callback is not None:
            callback()

    sa.event.listen(session, "after_commit", committed)
    sa.event.listen(session, "after_transaction_end", ended)


def remove_files_after_commit(session: Session, stored_names: list[str]) -> None:
    """Files go only once the deletion is committed: a rollback must not lose files of a request that still exists."""
    if stored_names:
        after_transaction(session, on_commit=lambda: _remove(list(stored_names)))


def _info(attachment: Attachment, request: InfoRequest, uploader_authority: int | None) -> AttachmentInfo:
    side = REQUESTER if uploader_authority == request.requesting_authority_id else RESPONDER
    return AttachmentInfo(attachment.id, attachment.request_id, attachment.original_name,  # type: ignore[arg-type]
                          attachment.content_type, attachment.size, as_utc(attachment.created_at), side)


_UNKNOWN = object()


def visible_files(session: Session, request: InfoRequest, known: Standing, release=_UNKNOWN) -> list[AttachmentInfo]:
    """The files this reader may see: their own side's, the requester's once sent, and the responder's
    once its answer was released to the requester (a file attached to an answer in approval is not yet).
    `release`: the releasing event when the caller has already loaded it (None: no answer released)."""
    if known.read not in (FULL, FORMER_RESPONDER, APPROVER) or request.personal_data_blocked_at is not None:
        return []
    rows = session.exec(select(Attachment, User.authority_id).join(
        User, User.id == Attachment.uploaded_by_user_id, isouter=True).where(
        Attachment.request_id == request.id).order_by(Attachment.created_at, Attachment.id)).all()
    files = [_info(a, request, authority_id) for a, authority_id in rows]
    if known.side == RESPONDER or (known.read == APPROVER and request.status != "awaiting_approval"):
        return files
    if known.side == REQUESTER:
        if release is _UNKNOWN:
            release = last_release(session, request.id)  # type: ignore[arg-type]
        cutoff = as_utc(release.at) if release else None
        return [f for f in files if f.side == REQUESTER or (cutoff is not None and f.created_at <= cutoff)]
    return [f for f in files if f.side == REQUESTER]


def save_attachment(session: Session, *, actor: User, request_id: int, filename: str, data: bytes) -> AttachmentInfo:
    """Adds a file: the requester to its draft, the responder to its answer in the making.

    Size (settings.attachment_max_bytes), allow-list by content, random name, mode 0600. The file is
    written last and removed again if the transaction does not commit.
    """
    request = load_for_update(session, actor, request_id, "attach")
    side = standing(session, actor, request).side
    action = "attach_to_request" if side == REQUESTER else "attach_to_answer"
    if side is not None and request.status not in TRANSITIONS[action].sources:
        raise Conflict(NOT_NOW)
    if not can(session, actor, f"request.{action}", request):
        raise denied(session, actor, action, request_id)
    name, mime = _check(filename, data)
    stored_name = _write(bytes(data))
    after_transaction(session, on_rollback=lambda: _remove([stored_name]))
    attachment = Attachment(request_id=request.id, stored_name=stored_name, original_name=name, content_type=mime,
                            size=len(data), uploaded_by_user_id=actor.id)
    session.add(attachment)
    session.flush()
    record_event(session, actor, request, "file_added", note=name, data={"attachment_id": attachment.id},
                 internal=side)
    audit.record(session, action="request.attach", actor=actor, object_type="attachment", object_id=attachment.id,
                 after={"request_id": request.id, "size": len(data), "content_type": mime})
    return _info(attachment, request, actor.authority_id)


def _attachment_and_request(session: Session, actor: User, attachment_id: object, action: str, *, lock: bool):
    attachment = session.get(Attachment, attachment_id) if is_id(attachment_id) else None
    if attachment is None:
        raise denied(session, actor, action, f"attachment:{attachment_id!r}"[:40])
    request = load_for_update(session, actor, attachment.request_id, action, lock=lock)
    return attachment, request


def read_attachment(session: Session, *, actor: User, attachment_id: int) -> AttachmentFile:
    """The file's bytes, only for users who may see this request's files (Denied, audited, otherwise)."""
    attachment, request = _attachment_and_request(session, actor, attachment_id, "read_attachment", lock=False)
    visible = {f.id: f for f in visible_files(session, request, standing(session, actor, request))}
    if attachment.id not in visible:
        raise denied(session, actor, "read_attachment", request.id)
    try:
        data = (get_settings().attachment_dir / attachment.stored_name).read_bytes()
    except FileNotFoundError:
        raise Conflict(N_("This file is missing from the storage. Ask your system administrator.")) from None
    return AttachmentFile(visible[attachment.id], data)


def delete_attachment(session: Session, *, actor: User, attachment_id: int) -> None:
    """Removes a file of the actor's own side while that side may still add files; the file goes after commit."""
    attachment, request = _attachment_and_request(session, actor, attachment_id, "delete_attachment", lock=True)
    own_side = REQUESTER if actor.authority_id == request.requesting_authority_id else RESPONDER
    action = "attach_to_request" if own_side == REQUESTER else "attach_to_answer"
    uploader = session.get(User, attachment.uploaded_by_user_id) if attachment.uploaded_by_user_id else None
    file_side = REQUESTER if uploader and uploader.authority_id == request.requesting_authority_id else RESPONDER
    if file_side != own_side or not can(session, actor, f"request.{action}", request):
        raise denied(session, actor, "delete_attachment", request.id)
    record_event(session, actor, request, "file_removed", note=attachment.original_name, internal=own_side)
    audit.record(session, action="request.delete_attachment", actor=actor, object_type="attachment",
                 object_id=attachment.id, before={"request_id": request.id, "size": attachment.size})
    session.delete(attachment)
    session.flush()
    remove_files_after_commit(session, [attachment.stored_name])


__all__ = ["AttachmentFile", "AttachmentInfo", "after_transaction", "clean_name", "delete_attachment",
           "detect_type", "read_attachment", "remove_files_after_commit", "save_attachment", "storage_dir",
           "visible_files"]
