"""How the scoping matrix reaches checkpoints."""

from fangkong.checkpoints.models import Checkpoint


def _checkpoint(world, region) -> Checkpoint:
    code = f"matrix-{region.code}"
    found = Checkpoint.objects.filter(code=code).first()
    return found or Checkpoint.objects.create(
        code=code, name=f"矩阵服务点{region.code}", type="road_crossing", region=region
    )


def _code_kwargs(world, region) -> dict:
    return {"code": _checkpoint(world, region).code}


URL_CASES = {
    "checkpoints:check": _code_kwargs,
    "checkpoints:tally": _code_kwargs,
    "checkpoints:edit": _code_kwargs,
}

API_CASES = {
    "/checkpoints/{code}/screenings": _code_kwargs,
}
