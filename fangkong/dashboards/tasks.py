"""Background refresh of the dashboard's figures (django-tasks)."""

from django.core.cache import cache
from django_tasks import task

REFRESH_LOCK = "dashboards:refresh-queued"


@task()
def snapshot_refresh_task() -> int:
    from .snapshot import snapshot_refresh

    try:
        return snapshot_refresh()
    finally:
        cache.delete(REFRESH_LOCK)


def request_refresh() -> bool:
    """Queue one refresh unless one is already queued; True if queued now."""
    if not cache.add(REFRESH_LOCK, 1, timeout=300):
        return False
    snapshot_refresh_task.enqueue()
    return True
