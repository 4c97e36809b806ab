"""No state hides a helper of the shared handler shape under a name of its own.

A state that defines, say, `_load` for something else silently replaces the helper every other method of
the mixin calls: the page then never leaves "loading". The two methods a view is meant to write (`_clear`
and `_read`) are the exceptions, and the shared layer (imi_app.ui) may extend a helper, as PagedList does.
"""

from __future__ import annotations

from imi_app.ui.common import SignedInView
from tests.support.handlers import app_states

MEANT_TO_WRITE = {"_clear", "_read"}


def _helpers() -> set[str]:
    return {name for name, value in vars(SignedInView).items()
            if callable(value) and name.startswith("_") and not name.startswith("__")} - MEANT_TO_WRITE


def test_the_mixin_has_helpers_to_protect():
    assert {"_load", "_act", "_reopen", "_show_or_refuse"} <= _helpers()


def test_no_view_state_redefines_a_helper_of_signed_in_view():
    views = [state for state in app_states() if issubclass(state, SignedInView)]
    assert len(views) >= 5
    clashes = {f"{state.__module__}.{state.__name__}.{name}" for state in views for name in _helpers()
               if any(name in vars(klass) for klass in state.__mro__  # the shared layer may extend them (PagedList)
                      if issubclass(klass, SignedInView) and not klass.__module__.startswith("imi_app.ui."))}
    assert not clashes, clashes
