#!/usr/bin/env bash
# Install the front-end assets with `npm ci`, only when node_modules is missing or older than
# the lock file.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$(repo_root)"

if [ ! -f package.json ]; then
	say "no package.json; no front-end assets to install"
	exit 0
fi
[ -f package-lock.json ] || die "package.json has no package-lock.json beside it; run 'npm install' and commit the lock file"

# npm writes node_modules/.package-lock.json on every install; it dates the installed tree.
installed=node_modules/.package-lock.json
if [ -f "$installed" ] && [ ! package-lock.json -nt "$installed" ] && [ ! package.json -nt "$installed" ]; then
	say "front-end assets up to date"
	exit 0
fi

command -v npm >/dev/null || die "npm is needed for the front-end assets (Node.js 20 or newer)"
say "installing front-end assets (npm ci)"
npm ci --no-audit --no-fund --loglevel=error
mkdir -p node_modules
touch "$installed"
