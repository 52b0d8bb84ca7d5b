#!/usr/bin/env bash
# Compile the translation catalogues (.po -> .mo). The .mo files are not committed: they are
# built here on every install, with gettext's msgfmt when it is installed and otherwise with
# scripts/msgfmt.py, so that English works on any machine. See docs/decisions/0006-translations.md.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$(repo_root)"

mapfile -t catalogues < <(find fangkong config -path '*/locale/*' -name '*.po' 2>/dev/null | sort)
if [ ${#catalogues[@]} -eq 0 ]; then
	say "no translation catalogues to compile"
	exit 0
fi

if command -v msgfmt >/dev/null; then
	say "compiling translations with msgfmt"
	# compilemessages walks the whole tree: keep it out of the virtualenv and the npm packages.
	scripts/uv run fangkong compilemessages --verbosity 0 \
		--ignore=.venv --ignore=node_modules --ignore=.git --ignore=var
else
	say "compiling translations with scripts/msgfmt.py (gettext's msgfmt is not installed)"
	scripts/uv run python scripts/msgfmt.py --check "${catalogues[@]}"
fi
