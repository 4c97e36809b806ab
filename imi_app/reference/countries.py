"""The countries that take part in IMI: the EU member states and the EEA EFTA states.

ISO 3166-1 alpha-2 codes (Greece is GR, not EL); the names shown come from Babel in the reader's language.
"""

EU_MEMBER_STATES = (
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU",
    "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
)
EEA_EFTA_STATES = ("IS", "LI", "NO")
COUNTRIES = EU_MEMBER_STATES + EEA_EFTA_STATES
