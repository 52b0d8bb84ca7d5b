#!/usr/bin/env bash
# Collect static files into STATIC_ROOT unless WhiteNoise serves them straight from the source
# folders, which it does by default while DEBUG is on (WHITENOISE_USE_FINDERS defaults to DEBUG).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$(repo_root)"

uv="$(dirname "$0")/uv"
served_from_sources="$(DJANGO_SETTINGS_MODULE=config.settings "$uv" run python -c '
from django.conf import settings
print(int(bool(getattr(settings, "WHITENOISE_USE_FINDERS", settings.DEBUG))))
')"
if [ "$served_from_sources" = 1 ]; then
	say "static files are served from their source folders; nothing to collect"
	exit 0
fi
say "collecting static files"
"$uv" run fangkong collectstatic --noinput --verbosity 0
