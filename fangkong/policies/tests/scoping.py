"""Policies are city-wide reference data, not located in a region: the matrix exempts them.

Reading needs policies.view; editing needs policies.manage held at city level; re-planning acts
only on measures inside the actor's region (tests in test_pages.py).
"""

_REASON = "city-wide policy (reference data, no region); edits need city-level policies.manage"

URL_EXEMPT = {
    "policies:detail": _REASON,
    "policies:edit": _REASON,
    "policies:replan": _REASON + "; re-plans only measures in the actor's region",
}

API_EXEMPT = {
    "/policies/{policy_id}": _REASON,
    "/policies/{policy_id}/replan": _REASON + "; re-plans only measures in the actor's region",
}
