"""fangkong screening-escalate: report open records past their deadline to the level above.

Run it periodically (every few minutes); pages also show overdue records on read.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from fangkong.core.actor import Actor
from fangkong.core.roles import Role
from fangkong.regions.models import Region
from fangkong.screening.services import escalate_overdue


class Command(BaseCommand):
    help = "逾期未闭环的排查记录上报上一级"

    def handle(self, *args, **options):
        city = Region.objects.get(code=settings.HOME_CITY_CODE)
        actor = Actor.build(user=None, region=city, role=Role.COMPREHENSIVE_STAFF)
        count = escalate_overdue(actor=actor)
        self.stdout.write(f"escalated {count} records")
