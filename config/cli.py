"""The `fangkong` console command: Django's manage.py under the platform's name."""

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["fangkong", *(sys.argv[1:] if argv is None else argv)])
    return 0
