"""fangkong api-token-revoke PREFIX_OR_ID: revoke an API token at once."""

from django.core.management.base import BaseCommand, CommandError

from fangkong.accounts.models import ApiToken
from fangkong.accounts.tokens import api_token_revoke


class Command(BaseCommand):
    help = "Revoke an API token, given its number or the prefix shown in the token list."

    def add_arguments(self, parser):
        parser.add_argument("token", help="token number, or its prefix such as fk_Ab3dE9x")

    def handle(self, *args, token, **options):
        matches = list(self._find(token.strip())[:2])
        if not matches:
            raise CommandError(f"no API token matches '{token}'")
        if len(matches) > 1:
            raise CommandError(f"'{token}' matches more than one token; give its number instead")
        revoked = api_token_revoke(actor=None, token_id=matches[0].pk)
        self.stdout.write(f"Revoked token #{revoked.pk} '{revoked.name}' ({revoked.prefix}…).")

    @staticmethod
    def _find(text: str):
        if text.isdigit():
            return ApiToken.objects.filter(pk=int(text))
        return ApiToken.objects.filter(prefix__startswith=text) if text else ApiToken.objects.none()
