"""Demo data per feature; imi_app.demo.seed calls each module's idempotent seed(session).

Demo accounts share a published password, so the demo data is loaded only when IMI_ENVIRONMENT is
demo, dev or test. The reference data every installation needs (countries, legislative areas,
question sets) is in imi_app.reference.
"""

from __future__ import annotations

from imi_app.core.settings import get_settings

DEMO_ENVIRONMENTS = ("demo", "dev", "test")


class DemoDataRefused(RuntimeError):
    """The demo data was asked for where it must not be (IMI_ENVIRONMENT=production)."""


def require_demo_environment() -> None:
    """Raises DemoDataRefused unless IMI_ENVIRONMENT is demo, dev or test; call it before writing anything."""
    environment = get_settings().environment
    if environment not in DEMO_ENVIRONMENTS:
        raise DemoDataRefused(
            f"IMI_ENVIRONMENT is {environment}, and the demo data (accounts with a published password, demo "
            f"authorities and requests) is loaded only when it is {', '.join(DEMO_ENVIRONMENTS[:-1])} or "
            f"{DEMO_ENVIRONMENTS[-1]}. Nothing was "
            "changed. Load the reference data with `python -m imi_app.reference` and create the first "
            "coordinator's account with `python -m imi_app.authorities.bootstrap`.")
