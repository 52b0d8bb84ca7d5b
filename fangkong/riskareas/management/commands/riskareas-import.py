"""`fangkong riskareas-import FILE [--json]`: import a risk-area list (.xlsx, .xls or .csv)."""

import json

from django.core.management.base import BaseCommand

from fangkong.imports.readers import FileRefused
from fangkong.riskareas.sheet import riskareas_import


class Command(BaseCommand):
    help = (
        "Import risk areas from a sheet with the columns 地区代码, 风险区名称, 风险等级 "
        "(高/中/低), 生效时间, 解除时间 (empty while in force). Every bad row is reported; "
        "the good rows are stored. Safe to run again. Exit 2 when the file is refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--source", default="", help="Where the list comes from.")
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, file, source, as_json, **options):
        try:
            report = riskareas_import(actor=None, path=file, source=source)
        except (FileRefused, OSError) as exc:
            message = str(exc)
            if as_json:
                self.stdout.write(json.dumps({"refused": message}, ensure_ascii=False))
            else:
                self.stderr.write(message)
            raise SystemExit(2) from None
        result = report.as_dict()
        if as_json:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        self.stdout.write(
            f"{result['rows']} 行：新增 {result['created']}，更新 {result['updated']}，"
            f"未变 {result['unchanged']}，错误 {result['invalid']}"
        )
        for error in result["errors"]:
            self.stdout.write(f"  第 {error['row']} 行 {error['field']}：{error['message']}")
