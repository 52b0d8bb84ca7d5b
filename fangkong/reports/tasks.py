"""Background tasks (django-tasks): the bulletin, and the periodic tick."""

from django_tasks import task


@task()
def compile_bulletin_task(bulletin_id: int) -> int:
    from .bulletins import bulletin_compile

    return bulletin_compile(bulletin_id).pk


@task()
def reports_tick_task() -> dict[str, int]:
    from .reminders import reports_tick

    return reports_tick()
