"""The legislative areas IMI exchanges requests in, with their names per language (more languages are more keys)."""

PROFESSIONAL_QUALIFICATIONS = "professional_qualifications"
SERVICES = "services"

AREAS = {
    PROFESSIONAL_QUALIFICATIONS: {"en": "Professional qualifications", "hu": "Szakmai képesítések",
                                  "de": "Berufsqualifikationen", "fr": "Qualifications professionnelles"},
    SERVICES: {"en": "Services", "hu": "Szolgáltatások", "de": "Dienstleistungen", "fr": "Services"},
}
