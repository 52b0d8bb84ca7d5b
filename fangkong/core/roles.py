"""Roles and what each may do.

A role is held in a region (a role assignment); the permissions below apply only inside
that region's subtree. Separation of duties follows MLPS level 3: the system administrator
manages accounts but sees no personal data; the auditor reads the logs and nothing else.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    HQ_COMMANDER = "hq_commander", _("指挥部领导")
    COMPREHENSIVE_STAFF = "comprehensive_staff", _("综合组工作人员")
    WORKGROUP_STAFF = "workgroup_staff", _("工作组工作人员")
    OPERATOR = "operator", _("县乡工作人员")
    GRID_WORKER = "grid_worker", _("网格员")
    CHECKPOINT_STAFF = "checkpoint_staff", _("卡口工作人员")
    SITE_STAFF = "site_staff", _("隔离点工作人员")
    LAB_STAFF = "lab_staff", _("采样检测人员")
    INSPECTOR = "inspector", _("督查人员")
    AUDITOR = "auditor", _("审计管理员")
    SYSADMIN = "sysadmin", _("系统管理员")


class Perm:
    """Permission codes. Dotted, like audit actions."""

    PEOPLE_VIEW = "people.view"
    PEOPLE_REGISTER = "people.register"
    PEOPLE_REVEAL = "people.reveal"
    PEOPLE_EXPORT = "people.export"
    REGIONS_VIEW = "regions.view"
    ORG_VIEW = "org.view"
    ORG_MANAGE = "org.manage"
    DUTY_MANAGE = "duty.manage"
    AUDIT_VIEW = "audit.view"
    ACCOUNTS_MANAGE = "accounts.manage"
    API_TOKENS_MANAGE = "api_tokens.manage"
    SCREENING_VIEW = "screening.view"
    SCREENING_IMPORT = "screening.import"
    SCREENING_VERIFY = "screening.verify"
    SCREENING_MANAGE = "screening.manage"
    # Control measures, quarantine sites, tests and alerts.
    POLICIES_VIEW = "policies.view"
    POLICIES_MANAGE = "policies.manage"
    MEASURES_VIEW = "measures.view"
    MEASURES_MANAGE = "measures.manage"
    MEASURES_OVERRIDE = "measures.override"
    SITES_MANAGE = "sites.manage"
    LABTESTS_VIEW = "labtests.view"
    LABTESTS_RECORD = "labtests.record"
    NOTIFICATIONS_VIEW = "notifications.view"
    # Risk areas, arrivals and checkpoints.
    RISKAREAS_VIEW = "riskareas.view"
    RISKAREAS_MANAGE = "riskareas.manage"
    ARRIVALS_VIEW = "arrivals.view"
    ARRIVALS_FOLLOW_UP = "arrivals.follow_up"
    CHECKPOINTS_VIEW = "checkpoints.view"
    CHECKPOINTS_CHECK = "checkpoints.check"
    CHECKPOINTS_MANAGE = "checkpoints.manage"
    # Daily reports, the bulletin and the command dashboard.
    REPORTS_VIEW = "reports.view"
    REPORTS_SUBMIT = "reports.submit"
    REPORTS_REVIEW = "reports.review"
    DASHBOARD_VIEW = "dashboard.view"


_FIELD_WORK = {Perm.PEOPLE_VIEW, Perm.PEOPLE_REGISTER, Perm.PEOPLE_REVEAL, Perm.REGIONS_VIEW}
_COMMAND = _FIELD_WORK | {Perm.PEOPLE_EXPORT, Perm.ORG_VIEW}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.HQ_COMMANDER: frozenset(
        _COMMAND | {Perm.ORG_MANAGE, Perm.DUTY_MANAGE, Perm.API_TOKENS_MANAGE}
    ),
    Role.COMPREHENSIVE_STAFF: frozenset(_COMMAND | {Perm.ORG_MANAGE, Perm.DUTY_MANAGE}),
    Role.WORKGROUP_STAFF: frozenset(_COMMAND),
    Role.OPERATOR: frozenset(_COMMAND | {Perm.DUTY_MANAGE}),
    Role.GRID_WORKER: frozenset(_FIELD_WORK),
    Role.CHECKPOINT_STAFF: frozenset(_FIELD_WORK),
    Role.SITE_STAFF: frozenset(_FIELD_WORK),
    Role.LAB_STAFF: frozenset(_FIELD_WORK),
    Role.INSPECTOR: frozenset({Perm.PEOPLE_VIEW, Perm.REGIONS_VIEW, Perm.ORG_VIEW}),
    Role.AUDITOR: frozenset({Perm.AUDIT_VIEW, Perm.REGIONS_VIEW}),
    Role.SYSADMIN: frozenset(
        {
            Perm.ACCOUNTS_MANAGE,
            Perm.API_TOKENS_MANAGE,
            Perm.REGIONS_VIEW,
            Perm.ORG_VIEW,
            Perm.ORG_MANAGE,
        }
    ),
}

# Measures: who may read, act at a site or village, override release, test and be alerted.
_MEASURES_READ = {
    Perm.POLICIES_VIEW,
    Perm.MEASURES_VIEW,
    Perm.LABTESTS_VIEW,
    Perm.NOTIFICATIONS_VIEW,
}
_MEASURES_FIELD = _MEASURES_READ | {Perm.MEASURES_MANAGE}
_MEASURES_COMMAND = _MEASURES_FIELD | {
    Perm.MEASURES_OVERRIDE,
    Perm.SITES_MANAGE,
    Perm.LABTESTS_RECORD,
}
_MEASURES_GRANTS: dict[str, set[str]] = {
    Role.HQ_COMMANDER: _MEASURES_COMMAND | {Perm.POLICIES_MANAGE},
    Role.COMPREHENSIVE_STAFF: _MEASURES_COMMAND | {Perm.POLICIES_MANAGE},
    Role.WORKGROUP_STAFF: _MEASURES_READ,
    Role.OPERATOR: _MEASURES_COMMAND,
    Role.GRID_WORKER: _MEASURES_FIELD,
    Role.SITE_STAFF: _MEASURES_FIELD | {Perm.LABTESTS_RECORD},
    Role.LAB_STAFF: {Perm.LABTESTS_VIEW, Perm.LABTESTS_RECORD, Perm.NOTIFICATIONS_VIEW},
    Role.CHECKPOINT_STAFF: {Perm.POLICIES_VIEW, Perm.NOTIFICATIONS_VIEW},
    Role.INSPECTOR: _MEASURES_READ,
}
for _role, _granted in _MEASURES_GRANTS.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | frozenset(_granted)

# Arrivals and checkpoints: the field reads risk areas and its region's arrivals; grid workers
# follow arrivals up; checkpoint staff record checks; the HQ and county operators run the
# checkpoint registry; only the city HQ edits the risk-area list.
_ARRIVALS_DESK = {Perm.RISKAREAS_VIEW, Perm.ARRIVALS_VIEW, Perm.CHECKPOINTS_VIEW}
_ARRIVALS_RUN = _ARRIVALS_DESK | {
    Perm.ARRIVALS_FOLLOW_UP,
    Perm.CHECKPOINTS_CHECK,
    Perm.CHECKPOINTS_MANAGE,
}
_ARRIVALS_GRANTS: dict[str, set[str]] = {
    Role.HQ_COMMANDER: _ARRIVALS_RUN | {Perm.RISKAREAS_MANAGE},
    Role.COMPREHENSIVE_STAFF: _ARRIVALS_RUN | {Perm.RISKAREAS_MANAGE},
    Role.WORKGROUP_STAFF: _ARRIVALS_DESK,
    Role.OPERATOR: _ARRIVALS_RUN,
    Role.GRID_WORKER: _ARRIVALS_DESK | {Perm.ARRIVALS_FOLLOW_UP},
    Role.CHECKPOINT_STAFF: {Perm.RISKAREAS_VIEW, Perm.CHECKPOINTS_VIEW, Perm.CHECKPOINTS_CHECK},
    Role.INSPECTOR: _ARRIVALS_DESK,
}
for _role, _granted in _ARRIVALS_GRANTS.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | frozenset(_granted)

# Screening: command and county/township staff import and manage lists, grid workers verify.
_SCREENING_ALL = {
    Perm.SCREENING_VIEW,
    Perm.SCREENING_IMPORT,
    Perm.SCREENING_VERIFY,
    Perm.SCREENING_MANAGE,
}
_SCREENING_GRANTS: dict[str, set[str]] = {
    Role.HQ_COMMANDER: _SCREENING_ALL,
    Role.COMPREHENSIVE_STAFF: _SCREENING_ALL,
    Role.OPERATOR: _SCREENING_ALL,
    Role.WORKGROUP_STAFF: {Perm.SCREENING_VIEW},
    Role.INSPECTOR: {Perm.SCREENING_VIEW},
    Role.GRID_WORKER: {Perm.SCREENING_VIEW, Perm.SCREENING_VERIFY},
}
for _role, _granted in _SCREENING_GRANTS.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | frozenset(_granted)

# Daily reports: the reporting units' staff submit (work groups, county HQ operators), the
# comprehensive group reviews, returns and compiles the bulletin, the HQ reads it all.
_REPORTS_GRANTS: dict[str, set[str]] = {
    Role.HQ_COMMANDER: {Perm.REPORTS_VIEW, Perm.DASHBOARD_VIEW},
    Role.COMPREHENSIVE_STAFF: {Perm.REPORTS_VIEW, Perm.REPORTS_REVIEW, Perm.DASHBOARD_VIEW},
    Role.WORKGROUP_STAFF: {Perm.REPORTS_VIEW, Perm.REPORTS_SUBMIT, Perm.DASHBOARD_VIEW},
    Role.OPERATOR: {Perm.REPORTS_VIEW, Perm.REPORTS_SUBMIT, Perm.DASHBOARD_VIEW},
    Role.INSPECTOR: {Perm.REPORTS_VIEW, Perm.DASHBOARD_VIEW},
}
for _role, _granted in _REPORTS_GRANTS.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | frozenset(_granted)

# Roles whose holders must sign in with a second factor.
TWO_FACTOR_REQUIRED = frozenset({Role.SYSADMIN})


def permissions_for(role: str) -> frozenset[str]:
    return ROLE_PERMISSIONS.get(role, frozenset())
