"""fangkong api-token-create NAME --region CODE --role ROLE: print a new API token once."""

from django.core.management.base import BaseCommand, CommandError

from fangkong.accounts.tokens import api_token_create
from fangkong.core.errors import ValidationFailed
from fangkong.core.roles import Role
from fangkong.regions.models import Region


class Command(BaseCommand):
    help = (
        "Create an API token for an integration. Only the token is written to standard output, "
        "once; store it at once, the platform keeps only its digest."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="what the token is for, e.g. the calling system")
        parser.add_argument("--region", required=True, help="division code, e.g. 433101")
        parser.add_argument("--role", required=True, help=f"one of: {', '.join(Role.values)}")

    def handle(self, *args, name, region, role, **options):
        if role not in Role.values:
            raise CommandError(f"unknown role '{role}'; choose one of: {', '.join(Role.values)}")
        found = Region.objects.filter(code=region.strip()).first()
        if found is None:
            raise CommandError(
                f"unknown region code '{region}'; load the division tree first "
                "(fangkong regions-load) or check the code"
            )
        try:
            token, raw = api_token_create(actor=None, name=name, region=found, role=role)
        except ValidationFailed as exc:
            raise CommandError(str(exc)) from None
        self.stderr.write(
            f"Created token #{token.pk} '{token.name}' ({found.code} {found.name}, {role}); "
            "it is shown only this once:"
        )
        self.stdout.write(raw)
