#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL 15 cluster, then remove the cluster.
#
#   scripts/with-postgres.sh uv run pytest
#
# The cluster lives in a new temporary folder, listens on 127.0.0.1 only (first free port from
# 54329 up) with its socket inside that folder, trusts local connections and trades durability
# for speed (fsync, synchronous_commit and full_page_writes off). The command sees DATABASE_URL
# pointing at an empty database `fangkong_test`; the cluster is stopped and the folder removed
# when the command ends, fails or is interrupted. Only the postmaster started here is stopped.
#
# FANGKONG_PG_BIN overrides where the server binaries are (default: Debian's PostgreSQL 15).
# FANGKONG_PG_SETTINGS adds server settings, separated by ';' (the benchmarks use it to run
# with the memory settings of a production server, e.g. "shared_buffers = 2GB").
set -euo pipefail
source "$(dirname "$0")/lib.sh"

[ $# -gt 0 ] || die "usage: $0 COMMAND [ARGS...]"

pg_bin="${FANGKONG_PG_BIN:-/usr/lib/postgresql/15/bin}"
if [ ! -x "$pg_bin/postgres" ] && [ -z "${FANGKONG_PG_BIN:-}" ]; then
	"$(dirname "$0")/system-packages.sh" postgresql-15
fi
[ -x "$pg_bin/postgres" ] || die "no PostgreSQL server binaries in $pg_bin"

# PostgreSQL refuses to run as root: as root, run the server as the `postgres` user.
as_owner=()
if is_root; then
	id postgres >/dev/null 2>&1 || die "running as root but there is no 'postgres' user to run the server"
	if command -v runuser >/dev/null; then
		as_owner=(runuser -u postgres --)
	else
		as_owner=(su postgres -s /bin/sh -c '"$0" "$@"')
	fi
fi

cluster_dir=""
data_dir=""
started=""

cleanup() {
	local status=$?
	trap - EXIT INT TERM HUP
	# The cleanup runs to its end whatever fails on the way: a reader that went away
	# (`| head`) makes its messages fail, and under `set -e` the first would end it.
	trap '' PIPE
	set +e
	if [ -n "$started" ] && [ -f "$data_dir/postmaster.pid" ]; then
		say "stopping PostgreSQL"
		# pg_ctl signals the postmaster whose PID is in this cluster's own postmaster.pid.
		if ! (cd "$cluster_dir" && "${as_owner[@]}" "$pg_bin/pg_ctl" -D "$data_dir" -m fast -w -t 60 stop >/dev/null); then
			local pid
			pid="$(head -n 1 "$data_dir/postmaster.pid")"
			# Signal it only if that PID is still this cluster's postmaster, never a reused PID.
			if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "-D $data_dir"; then
				warn "pg_ctl stop failed; sending SIGQUIT to this cluster's postmaster ($pid)"
				kill -QUIT "$pid" 2>/dev/null || true
				sleep 2
			fi
		fi
	fi
	if [ -n "$cluster_dir" ]; then
		rm -rf "$cluster_dir"
	fi
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
trap 'exit 141' PIPE

cluster_dir="$(mktemp -d /tmp/fangkong-pg.XXXXXXXX)"
data_dir="$cluster_dir/data"
mkdir "$cluster_dir/socket"
if is_root; then
	chown -R postgres: "$cluster_dir"
fi

say "creating a PostgreSQL cluster in $cluster_dir"
# Run the server tools from inside the cluster folder: the `postgres` user may not be allowed
# into the caller's working directory.
(cd "$cluster_dir" && "${as_owner[@]}" "$pg_bin/initdb" -D "$data_dir" -U postgres \
	--auth=trust --encoding=UTF8 --no-locale --no-sync >"$cluster_dir/initdb.log" 2>&1) ||
	{
		cat "$cluster_dir/initdb.log" >&2
		die "initdb failed"
	}
cat >>"$data_dir/postgresql.conf" <<CONF
# Throwaway test cluster: loopback only, and no durability.
listen_addresses = '127.0.0.1'
unix_socket_directories = '$cluster_dir/socket'
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
if [ -n "${FANGKONG_PG_SETTINGS:-}" ]; then
	tr ';' '\n' <<<"$FANGKONG_PG_SETTINGS" >>"$data_dir/postgresql.conf"
fi

port_in_use() { (: >"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

port=""
for candidate in $(seq 54329 54399); do
	port_in_use "$candidate" && continue
	started=1
	if (cd "$cluster_dir" && "${as_owner[@]}" "$pg_bin/pg_ctl" -D "$data_dir" -l "$cluster_dir/server.log" \
		-o "-p $candidate" -w -t 60 start >/dev/null); then
		port="$candidate"
		break
	fi
	started=""
	# Another process may have taken the port between the check and the start: try the next.
	grep -q "could not bind" "$cluster_dir/server.log" 2>/dev/null || {
		cat "$cluster_dir/server.log" >&2 || true
		die "PostgreSQL did not start"
	}
done
[ -n "$port" ] || die "no free port between 54329 and 54399"

"$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U postgres fangkong_test
export DATABASE_URL="postgres://postgres@127.0.0.1:$port/fangkong_test"
say "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') ready: $DATABASE_URL"

set +e
"$@"
status=$?
set -e
exit "$status"
