"""Demo data for the directory: the demo authorities' names in further languages."""

from __future__ import annotations

from sqlmodel import Session, select

from imi_app.authorities.models import Authority, AuthorityName
from imi_app.demo import require_demo_environment

# Official name -> {language: name in that language}
FURTHER_NAMES = {
    "Magyar Orvosi Kamara": {"en": "Hungarian Medical Chamber", "de": "Ungarische Ärztekammer"},
    "Budapesti Kereskedelmi és Iparkamara": {"en": "Budapest Chamber of Commerce and Industry"},
    "Oktatási Hivatal": {"en": "Educational Authority"},
    "Ärztekammer Berlin": {"en": "Berlin Chamber of Physicians", "hu": "Berlini Orvosi Kamara"},
    "Handwerkskammer München": {"en": "Munich Chamber of Skilled Crafts"},
    "Österreichische Ärztekammer": {"en": "Austrian Medical Chamber"},
}


def seed(session: Session) -> None:
    """Adds the names that are missing; running it again changes nothing."""
    require_demo_environment()
    for official_name, names in FURTHER_NAMES.items():
        authority = session.exec(select(Authority).where(Authority.official_name == official_name)).first()
        if authority is None:
            continue
        known = set(session.exec(select(AuthorityName.language).where(
            AuthorityName.authority_id == authority.id)).all())
        for language, name in names.items():
            if language not in known:
                session.add(AuthorityName(authority_id=authority.id, language=language, name=name))
    session.flush()
