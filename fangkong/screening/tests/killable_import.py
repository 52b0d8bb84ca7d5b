"""Run by test_atomicity in a child process: an import that can be killed at a chosen step.

    python killable_import.py DB FILE setup|writing|merging

"setup" migrates the SQLite database and builds the test world. "writing" and "merging"
print a line when that step is under way and then wait to be killed.
"""

import os
import sys
import time


def main(db: str, path: str, mode: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    if mode == "setup":
        from django.core.management import call_command

        from fangkong.demo.world import TEST_SPEC, build_world

        call_command("migrate", verbosity=0)
        build_world(TEST_SPEC)
        return
    from fangkong.core.actor import Actor
    from fangkong.core.roles import Role
    from fangkong.regions.models import Region
    from fangkong.screening import importer, merge

    def wait(message):
        print(message, flush=True)
        time.sleep(60)

    if mode == "merging":
        original = merge._link_open_lists

        def link_then_wait(batch, people):
            original(batch, people)
            wait("merging")

        merge._link_open_lists = link_then_wait
    actor = Actor.build(
        user=None, region=Region.objects.get(code="4331"), role=Role.COMPREHENSIVE_STAFF
    )
    importer.screening_import(
        actor=actor,
        path=path,
        options=importer.ImportOptions(category="risk_area", allow_duplicate=True),
        progress=(lambda n: wait("writing")) if mode == "writing" else None,
    )


if __name__ == "__main__":
    main(*sys.argv[1:4])
