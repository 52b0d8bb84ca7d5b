#!/usr/bin/env bash
# Run every benchmarks/*.py in turn; each prints its own figures. Fails if any of them fails.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
cd "$(repo_root)" || exit 1

shopt -s nullglob
scripts=(benchmarks/*.py)
if [ ${#scripts[@]} -eq 0 ]; then
	say "no benchmarks yet (benchmarks/*.py)"
	exit 0
fi

failed=()
for script in "${scripts[@]}"; do
	say "$script"
	start=$SECONDS
	if scripts/uv run python "$script"; then
		say "$script: done in $((SECONDS - start)) s"
	else
		warn "$script failed (status $?)"
		failed+=("$script")
	fi
done
[ ${#failed[@]} -eq 0 ] || die "failed benchmarks: ${failed[*]}"
