"""The one access policy: can / require / restrict, and the facts the rules use.

Rules live with their feature (`accounts.rules`, `authorities.rules`, `requests.rules`) and
register themselves here; this package imports models and core only.
"""

from imi_app.policy.core import (
    can, deny, register, register_filter, require, require_locked, restrict, restricted,
)
from imi_app.policy.facts import (
    acting_coordinator, area_roles, areas_with_role, authorities_below, coordinated_where, coordinator_chain, coordinator_staff_of, has_area_role, has_role_in_area, is_active_user, lda_of,
)

__all__ = ["acting_coordinator", "area_roles", "areas_with_role", "authorities_below", "can", "coordinated_where", "coordinator_chain", "coordinator_staff_of", "deny", "has_area_role",
           "has_role_in_area", "is_active_user", "lda_of", "register", "register_filter", "require", "require_locked",
           "restrict", "restricted"]
