"""The settings every test run uses: tasks run at once, passwords hash fast.

pytest-django loads Django's settings before pytest imports any conftest.py, so these cannot
arrive through the environment alone: they are applied to the loaded settings with
``override_settings`` (which also resets anything already cached from the old values), and
exported so that processes a test starts get the same.
"""

import os

from django.test import override_settings

IMMEDIATE_TASK_BACKEND = "django_tasks.backends.immediate.ImmediateBackend"
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

TEST_ENVIRONMENT = {
    "FANGKONG_TESTING": "1",
    "FANGKONG_TASK_BACKEND": IMMEDIATE_TASK_BACKEND,
}


def use_test_settings() -> None:
    os.environ.update(TEST_ENVIRONMENT)
    # Enabled for the whole run and never disabled; tests still override on top of it.
    override_settings(
        PASSWORD_HASHERS=FAST_PASSWORD_HASHERS,
        TASKS={"default": {"BACKEND": IMMEDIATE_TASK_BACKEND, "QUEUES": ["default", "sheets"]}},
    ).enable()
