"""How the scoping matrix reaches notifications: an alert addressed to each village."""

from fangkong.notifications.services import notify


def _note_kwargs(world, village) -> dict:
    note = notify(region_code=village.code, kind="matrix.test", message="矩阵提醒")
    return {"pk": note.pk}


URL_CASES = {
    "notifications:read": _note_kwargs,
}

API_CASES = {
    "/notifications/{notification_id}/read": lambda world, village: {
        "notification_id": _note_kwargs(world, village)["pk"]
    },
}
