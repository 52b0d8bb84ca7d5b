#!/usr/bin/env bash
# Serve Fangkong with gunicorn on 127.0.0.1:$PORT and run the background task workers beside it.
#
# Ctrl-C (or SIGTERM) stops them all; if one exits, the others are stopped too. Only the
# processes started here are signalled, by their PIDs.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$(repo_root)"

port="${PORT:-8000}"
bin=.venv/bin
# Log lines appear as they happen, also when the output is piped.
export PYTHONUNBUFFERED=1
[ -x "$bin/gunicorn" ] || die "no $bin/gunicorn; run 'make install' first"

port_in_use() { (: >"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port_in_use "$port" && die "port $port is already in use; choose another with PORT=..."

pids=()
stop_children() {
	trap - EXIT INT TERM
	local pid
	for pid in "${pids[@]}"; do
		kill -TERM "$pid" 2>/dev/null || true
	done
	# gunicorn finishes its requests and the workers their current tasks; give them a moment.
	for _ in $(seq 1 100); do
		local alive=""
		for pid in "${pids[@]}"; do
			kill -0 "$pid" 2>/dev/null && alive=1
		done
		[ -n "$alive" ] || break
		sleep 0.1
	done
	for pid in "${pids[@]}"; do
		kill -KILL "$pid" 2>/dev/null || true
	done
	wait 2>/dev/null || true
}
trap 'stop_children; exit 130' INT
trap 'stop_children; exit 143' TERM
trap 'stop_children' EXIT

# The programs are started directly, not through `uv run`, so that the PIDs below are theirs.
"$bin/gunicorn" config.wsgi --bind "127.0.0.1:$port" --workers 2 \
	--access-logfile - --error-logfile - --no-control-socket &
pids+=($!)
# No autoreload: with it the worker runs as a child of the PID held here. It looks for work
# four times a second, so an uploaded list reaches its grid workers within about a second.
"$bin/fangkong" db_worker --no-reload --interval 0.25 &
pids+=($!)
# Long sheets (a minute and more for a million rows) on a worker of their own.
"$bin/fangkong" db_worker --no-reload --queue-name sheets &
pids+=($!)
# Periodic duties: escalation, automatic release, monitoring sweeps, report reminders.
"$bin/fangkong" ticker &
pids+=($!)

# Announce the address once it answers.
for _ in $(seq 1 300); do
	if port_in_use "$port"; then
		say "Fangkong is serving on http://127.0.0.1:$port/ with its background workers; Ctrl-C stops them all"
		break
	fi
	kill -0 "${pids[0]}" 2>/dev/null || break
	sleep 0.1
done

# A Ctrl-C reaches the programs directly too, so they may be gone before the trap runs.
status=0
wait -n || status=$?
if [ "$status" -ne 0 ]; then
	warn "a server process failed (status $status); stopping the others"
fi
exit "$status"
