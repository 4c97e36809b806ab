"""Demo data per feature; imi_app.seed calls each module's idempotent seed(session)."""
