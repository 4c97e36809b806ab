"""Demo data per feature; imi_app.demo.seed calls each module's idempotent seed(session)."""
