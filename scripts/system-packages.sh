#!/usr/bin/env bash
# Make sure Debian packages are installed; apt-get runs only when one is missing.
#
#   scripts/system-packages.sh chromium fonts-noto-cjk 'libreoffice-writer-nogui|libreoffice-writer'
#
# "a|b" accepts either package as present and installs the first when neither is, so a desktop
# with the full LibreOffice is not asked to swap it for the headless build.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

installed() {
	[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = "installed" ]
}

missing=()
for spec in "$@"; do
	IFS='|' read -r -a choices <<<"$spec"
	found=""
	for package in "${choices[@]}"; do
		if installed "$package"; then
			found=1
			break
		fi
	done
	[ -n "$found" ] || missing+=("${choices[0]}")
done

if [ ${#missing[@]} -eq 0 ]; then
	say "system packages present: $*"
	exit 0
fi

command -v apt-get >/dev/null || die "missing system packages (${missing[*]}) and no apt-get to install them"
if ! is_root; then
	die "missing system packages; install them with: sudo apt-get install -y ${missing[*]}"
fi

export DEBIAN_FRONTEND=noninteractive
# Another apt or dpkg run may hold the lock (unattended upgrades, a parallel install): wait for
# it rather than fail.
apt=(apt-get -q -y -o DPkg::Lock::Timeout=900 -o Acquire::Retries=3)

retry() {
	local attempt
	for attempt in 1 2 3 4 5; do
		"$@" && return 0
		warn "'$*' failed (attempt $attempt); retrying in 15 s"
		sleep 15
	done
	"$@"
}

say "installing system packages: ${missing[*]}"
retry "${apt[@]}" update
retry "${apt[@]}" install "${missing[@]}"
