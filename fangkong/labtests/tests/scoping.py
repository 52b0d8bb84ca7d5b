"""How the scoping matrix reaches lab-sheet import jobs: one uploaded in each village."""

from fangkong.imports.models import ImportJob, JobStatus
from fangkong.labtests.selectors import SHEET_JOB_KIND


def _job_kwargs(world, village) -> dict:
    job = ImportJob.objects.create(
        kind=SHEET_JOB_KIND, filename="结果.csv", sha256="0" * 64, region=village,
        status=JobStatus.REFUSED, result={"rows": 1, "error_count": 1,
                                          "errors": [[2, "身份证号", "矩阵"]]},
    )  # fmt: skip
    return {"pk": job.pk}


URL_CASES = {
    "labtests:job": _job_kwargs,
    "labtests:job_errors": _job_kwargs,
}
