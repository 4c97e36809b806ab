"""Shared foundations: settings, database, translations, errors, audit log, validation, time."""
