"""fangkong screening-import FILE --category CAT [--source TEXT] [--deadline-hours N]
[--allow-duplicate] [--json]: import a pushed list as the city HQ's comprehensive group.

Exit status 0 when the batch is stored, 2 when the file is refused (nothing stored).
"""

import json
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from fangkong.core.actor import Actor
from fangkong.core.categories import PersonCategory
from fangkong.core.roles import Role
from fangkong.regions.models import Region
from fangkong.screening.importer import ImportOptions, result_json, screening_import


class Command(BaseCommand):
    help = "导入重点人群排查名单（xlsx/xls/csv）"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--category", required=True, choices=PersonCategory.values)
        parser.add_argument("--source", default="")
        parser.add_argument("--deadline-hours", type=int, default=None)
        parser.add_argument("--allow-duplicate", action="store_true")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **opts):
        try:
            city = Region.objects.get(code=settings.HOME_CITY_CODE)
        except Region.DoesNotExist:
            raise CommandError("home city region missing: run regions-load first") from None
        actor = Actor.build(user=None, region=city, role=Role.COMPREHENSIVE_STAFF)
        result = screening_import(
            actor=actor,
            path=opts["file"],
            options=ImportOptions(
                category=opts["category"],
                source=opts["source"],
                deadline_hours=opts["deadline_hours"],
                allow_duplicate=opts["allow_duplicate"],
            ),
        )
        if result.refused:
            if opts["json"]:
                self.stdout.write(json.dumps({"refused": result.refused}, ensure_ascii=False))
            self.stderr.write(result.refused)
            sys.exit(2)
        summary = result_json(result)
        if opts["verbosity"] >= 2:
            self.stderr.write(f"timings (s): {json.dumps(result.summary.get('timings', {}))}")
        if opts["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
            return
        self.stdout.write(
            f"批次 {summary['batch']}：读取 {summary['rows']} 行，有效 {summary['valid']}，"
            f"待更正 {summary['invalid']}，新建人员 {summary['created']}，"
            f"匹配已有 {summary['matched']}，文件内重复 {summary['duplicates_in_file']}"
        )
        assigned = summary["assigned"]
        self.stdout.write(
            f"分派：村/社区 {assigned['village']}，乡镇 {assigned['township']}，"
            f"县市 {assigned['county']}，待分派 {assigned['unassigned']}"
        )
        for error in summary["errors"][:50]:
            self.stdout.write(f"第{error['row']}行 {error['field']}：{error['message']}")
        if len(summary["errors"]) > 50:
            self.stdout.write(f"…… 共 {len(summary['errors'])} 处错误")
