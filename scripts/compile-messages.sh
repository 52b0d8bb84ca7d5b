#!/usr/bin/env bash
# Compile the translation catalogues (.po -> .mo) when there are any.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$(repo_root)"

if [ -z "$(find fangkong config -path '*/locale/*' -name '*.po' -print -quit 2>/dev/null)" ]; then
	say "no translation catalogues to compile"
	exit 0
fi

if ! command -v msgfmt >/dev/null; then
	if is_root; then
		"$(dirname "$0")/system-packages.sh" gettext
	else
		warn "gettext's msgfmt is missing, so translations are not compiled (apt-get install gettext)"
		exit 0
	fi
fi

say "compiling translations"
# compilemessages walks the whole tree: keep it out of the virtualenv and the npm packages.
"$(dirname "$0")/uv" run fangkong compilemessages --verbosity 0 \
	--ignore=.venv --ignore=node_modules --ignore=.git --ignore=var
