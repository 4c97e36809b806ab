"""Access to data (Regulation 1024/2012 Art. 19, GDPR Art. 15): everything the own authority's exchanges hold
about a person, with the authorities that saw it, as JSON (for machines: English keys, codes beside the
translated labels) and as PDF (for the person: in the local data administrator's language). Audited.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlmodel import Session, col, select

from imi_app.accounts.models import User
from imi_app.authorities.models import Authority
from imi_app.core import audit
from imi_app.core.actions import action
from imi_app.core.errors import refuse_invalid
from imi_app.core.formats import Formats
from imi_app.core.pdf import font_dir, pdf_class
from imi_app.core.i18n import N_, country_name, gettext
from imi_app.core.time import utcnow
from imi_app.requests.data_subject import FIELDS, SubjectCriteria, subject_rows
from imi_app.requests.detail import detail_of
from imi_app.requests.lifecycle import STATUS_LABELS
from imi_app.requests.models import Attachment, InfoRequest, ReferralOpinion, RequestEvent

FORMATS = ("json", "pdf")
NO_FONT = N_("The PDF cannot be made on this server: its DejaVu fonts are missing (Debian package "
             "fonts-dejavu-core). The JSON file holds the same data.")
NOTHING_FOUND = N_("No exchange of your authority matches: there is nothing to export.")

TITLE = N_("Personal data held in IMI")
INTRO = N_("Everything the exchanges of {authority} in the Internal Market Information system hold about the "
           "person below, as of {date}, and the authorities that saw it (Regulation (EU) 1024/2012, Art. 19).")
SEARCHED = N_("Searched for")
EXCHANGE = N_("Exchange {case_id}")
LABELS = {
    "subject": N_("Subject"), "status": N_("Status"), "area": N_("Legislative area"),
    "requesting": N_("Requesting authority"), "responding": N_("Responding authority"),
    "forwarded_from": N_("Forwarded by"), "created_at": N_("Created"), "sent_at": N_("Sent"),
    "closed_at": N_("Closed"), "blocked_at": N_("Personal data blocked"), "free_text": N_("Request text"),
    "reply": N_("Reply"), "questions": N_("Questions and answers"), "files": N_("Attachments"),
    "seen_by": N_("Authorities that saw this data"), "person": N_("Person concerned"),
    "identifier": N_("Identifier"),
}
NO_ANSWER = N_("No answer")


@dataclass(frozen=True)
class ExportFile:
    filename: str
    mime_type: str
    data: bytes


def _authority(authority: Authority | None, language: str) -> dict:
    if authority is None:
        return {}
    return {"id": authority.id, "name": authority.official_name, "country_code": authority.country_code,
            "country": country_name(authority.country_code, language)}


def _seen_by(session: Session, request: InfoRequest) -> list[Authority]:
    """The authorities taking part and every authority that acted on the exchange (forwarding, approving,
    giving an opinion): each of them could read its personal data at some time."""
    ids = {request.requesting_authority_id, request.responding_authority_id, request.forwarded_from_authority_id}
    ids |= set(session.exec(select(RequestEvent.actor_authority_id).where(RequestEvent.request_id == request.id)))
    ids |= set(session.exec(select(ReferralOpinion.coordinator_id).where(ReferralOpinion.request_id == request.id)))
    if request.sent_at is None:
        ids = {request.requesting_authority_id}  # a draft never left the own authority
    return list(session.exec(select(Authority).where(col(Authority.id).in_(ids - {None}))
                             .order_by(Authority.country_code, Authority.official_name)).all())


def _exchange(session: Session, actor: User, request: InfoRequest, language: str) -> dict:
    page = detail_of(session, actor, request, language, open_blocked=request.personal_data_blocked_at is not None)
    person = page.person
    files = session.exec(select(Attachment).where(Attachment.request_id == request.id)
                         .order_by(Attachment.id)).all()
    forwarded = session.get(Authority, request.forwarded_from_authority_id) if request.forwarded_from_authority_id \
        else None
    return {
        "case_id": request.case_id, "subject": request.subject, "status": request.status,
        "status_label": gettext(language, STATUS_LABELS.get(request.status, request.status)),
        "area": page.area_name,
        "requesting": _authority(session.get(Authority, request.requesting_authority_id), language),
        "responding": _authority(session.get(Authority, request.responding_authority_id), language),
        "forwarded_from": _authority(forwarded, language) or None,
        "created_at": page.created_at, "sent_at": page.sent_at, "closed_at": page.closed_at,
        "blocked_at": page.personal_data_blocked_at,
        "person": {"kind": person.kind, **{name: getattr(person, name) for name in FIELDS}} if person else None,
        "free_text": request.free_text, "reply": page.reply or page.pending_reply,
        "questions": [{"question": q.text, "answer": q.answer if q.answer is not None else q.released_answer}
                      for q in page.questions],
        "files": [{"name": f.original_name, "type": f.content_type, "size": f.size} for f in files],
        "seen_by": [_authority(a, language) for a in _seen_by(session, request)],
    }


def _document(session: Session, actor: User, criteria: SubjectCriteria, language: str) -> dict:
    own = session.get(Authority, actor.authority_id)
    exchanges = [_exchange(session, actor, request, language) for request, _person in subject_rows(session, actor,
                                                                                              criteria)]
    return {"generated_at": utcnow(), "language": language, "authority": _authority(own, language),
            "generated_by": actor.full_name,
            "criteria": {"name": criteria.name, "birth_date": criteria.birth_date,
                         "identifier": criteria.identifier},
            "exchanges": exchanges}


def _json(document: dict) -> bytes:
    def plain(value: object) -> str:
        return value.isoformat() if hasattr(value, "isoformat") else str(value)
    return json.dumps(document, ensure_ascii=False, indent=2, default=plain).encode("utf-8")


def _pdf(document: dict, language: str, fonts: Path) -> bytes:
    fmt = Formats(language)

    def tr(text: str, **values: object) -> str:
        return gettext(language, text, **values)

    def shown(value: object) -> str:
        if isinstance(value, datetime):
            return fmt.moment(value)
        if hasattr(value, "isoformat"):
            return fmt.day(value)  # type: ignore[arg-type]
        return "" if value is None else str(value)

    def pair(label: str, value: object) -> None:
        text = shown(value)
        if not text:
            return
        pdf.set_font("DejaVu", "B", 9)
        pdf.multi_cell(0, 5, tr(label), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 10)
        pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)

    def heading(text: str, size: int) -> None:
        pdf.set_font("DejaVu", "B", size)
        pdf.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)

    def body(authority: dict) -> str:
        return f"{authority['name']} ({authority['country']})" if authority else ""

    pdf = pdf_class()(fonts, tr(TITLE))
    pdf.set_title(tr(TITLE))
    pdf.set_lang(language)
    pdf.add_page()
    heading(tr(TITLE), 16)
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(0, 5, tr(INTRO, authority=body(document["authority"]), date=shown(document["generated_at"])),
                   new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    criteria = document["criteria"]
    heading(tr(SEARCHED), 11)
    pair(FIELDS["full_name"], criteria["name"])
    pair(FIELDS["birth_date"], criteria["birth_date"])
    pair(LABELS["identifier"], criteria["identifier"])
    for exchange in document["exchanges"]:
        pdf.ln(3)
        heading(tr(EXCHANGE, case_id=exchange["case_id"]), 13)
        for label, key in (("subject", "subject"), ("status", "status_label"), ("area", "area")):
            pair(LABELS[label], exchange[key])
        for key in ("requesting", "responding", "forwarded_from"):
            pair(LABELS[key], body(exchange[key] or {}))
        for key in ("created_at", "sent_at", "closed_at", "blocked_at"):
            pair(LABELS[key], exchange[key])
        if exchange["person"]:
            heading(tr(LABELS["person"]), 11)
            for name, label in FIELDS.items():
                pair(label, exchange["person"][name])
        pair(LABELS["free_text"], exchange["free_text"])
        if exchange["questions"]:
            heading(tr(LABELS["questions"]), 11)
            for item in exchange["questions"]:
                pair(item["question"], item["answer"] if item["answer"] is not None else tr(NO_ANSWER))
        pair(LABELS["reply"], exchange["reply"])
        pair(LABELS["files"], "\n".join(f"{f['name']} ({fmt.number(f['size'] / 1024)} KB)"
                                        for f in exchange["files"]))
        pair(LABELS["seen_by"], "\n".join(body(a) for a in exchange["seen_by"]))
    return bytes(pdf.output())


@action
def export_subject(session: Session, *, actor: User, criteria: SubjectCriteria, kind: object,
                   language: str) -> ExportFile:
    """The file for the person: the search run again with the permission checked again; audited."""
    if kind not in FORMATS:
        refuse_invalid({"format": N_("Choose PDF or JSON.")})
    document = _document(session, actor, criteria, language)
    if not document["exchanges"]:
        refuse_invalid({"format": NOTHING_FOUND})
    fonts = font_dir()
    if kind == "pdf" and fonts is None:
        refuse_invalid({"format": NO_FONT})
    audit.record(session, action="data_subject.export", actor=actor, object_type="authority",
                 object_id=actor.authority_id, after={"format": kind, "cases": [e["case_id"] for e in
                                                                                 document["exchanges"]]})
    stamp = document["generated_at"].strftime("%Y%m%d-%H%M")
    if kind == "json":
        return ExportFile(f"imi-personal-data-{stamp}.json", "application/json", _json(document))
    return ExportFile(f"imi-personal-data-{stamp}.pdf", "application/pdf",
                      _pdf(document, language, fonts))  # type: ignore[arg-type]


__all__ = ["FORMATS", "ExportFile", "export_subject"]
