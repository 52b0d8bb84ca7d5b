# shellcheck shell=bash
# Shared helpers for the scripts in this folder; source it, do not run it.

# Messages go to stderr so that scripts can print values on stdout.
say() { printf '==> %s\n' "$*" >&2; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() {
	printf 'error: %s\n' "$*" >&2
	exit 1
}

is_root() { [ "$(id -u)" -eq 0 ]; }

is_ci() {
	case "${CI:-}" in
	1 | true | TRUE | True | yes) return 0 ;;
	*) return 1 ;;
	esac
}

# The repository root, whatever the caller's working directory.
repo_root() { cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd; }
