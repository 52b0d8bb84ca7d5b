import os

from django.contrib.auth.hashers import get_hasher
from django_tasks import task_backends
from django_tasks.backends.immediate import ImmediateBackend


def test_passwords_hash_with_the_fast_hasher():
    assert get_hasher().algorithm == "md5"


def test_tasks_run_immediately():
    assert isinstance(task_backends["default"], ImmediateBackend)


def test_processes_started_by_tests_see_the_test_environment():
    assert os.environ["FANGKONG_TESTING"] == "1"
    assert os.environ["FANGKONG_TASK_BACKEND"].endswith("ImmediateBackend")
