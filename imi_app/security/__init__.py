"""Pure security helpers: password and code hashing, TOTP, session tokens (no Reflex, no database)."""
