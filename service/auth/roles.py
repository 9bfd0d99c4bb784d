"""The desk's roles; every endpoint names the ones it admits."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ANALYST = "analyst"
    SUPERVISOR = "supervisor"
    POLICE = "police"
    RESEARCHER = "researcher"
    ADMIN = "admin"


ALL_ROLES: frozenset[Role] = frozenset(Role)
# Roles that work on case data at the desk (read raw ads, decide); police and researchers get
# narrower views (leads for their unit; pseudonymised exports) through their own endpoints.
DESK_ROLES: frozenset[Role] = frozenset({Role.ANALYST, Role.SUPERVISOR})
