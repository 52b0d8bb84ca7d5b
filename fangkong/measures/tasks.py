"""Background task wrapper of the periodic evaluation (django-tasks)."""

from django_tasks import task

from .release import measures_tick


@task()
def measures_tick_task() -> dict[str, int]:
    return measures_tick()
