"""A person's name: asked in two parts, the family name and the given name, and kept as one full name written as
the authority's country writes names ("Kiss Ágnes" in Hungary, "Anna Schmidt" in Germany). The username is made
from the family name: as typed when the parts are known, otherwise read from the full name by the same custom."""

from __future__ import annotations

from imi_app.core.validation import text_problem

# Where a full name is written family name first ("Kiss Ágnes" in Hungary), its first word is the family name.
FAMILY_NAME_FIRST = frozenset({"HU"})
PART_LENGTH = 100  # two parts and a space stay within the full name's 200 characters


def _without_titles(words: list[str]) -> list[str]:
    """Titles ("Dr.", "Prof.") are passed over, unless there is nothing else."""
    return [word for word in words if not word.endswith(".")] or words


def family_name(full_name: str, country_code: str) -> str:
    """The family name in a full name as the country writes it."""
    words = _without_titles(full_name.split())
    if not words:
        return ""
    return words[0] if country_code.upper() in FAMILY_NAME_FIRST else words[-1]


def surname_for_username(family: str) -> str:
    """The family name as typed, whole ("Nagy-Tóth", "von der Leyen"), its titles left out."""
    return " ".join(_without_titles(family.split()))


def full_name(family: str, given: str, country_code: str) -> str:
    """The two parts in the country's order, their spaces tidied."""
    family, given = " ".join(family.split()), " ".join(given.split())
    parts = (family, given) if country_code.upper() in FAMILY_NAME_FIRST else (given, family)
    return " ".join(part for part in parts if part)


def name_problems(family: object, given: object, *, family_key: str = "family_name",
                  given_key: str = "given_name") -> dict[str, str]:
    """The family name is required; the given name may be empty (people with one name only)."""
    problems = {family_key: text_problem(family, max_length=PART_LENGTH),
                given_key: text_problem(given, required=False, max_length=PART_LENGTH)}
    return {key: problem for key, problem in problems.items() if problem}
