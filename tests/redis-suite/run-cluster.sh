#!/usr/bin/env bash
# Runs Redis's Tcl suite units against the leader of a 3-node zakros cluster (issue 5, "Tests"):
# run.sh does everything (one fresh server per unit, counts, report); this script only hands it
# a "server" that is a whole cluster, and the skipfile skipfile.txt + skipfile-cluster.txt.
#
# Usage: tests/redis-suite/run-cluster.sh [run.sh options] [unit/X ...]
#   Same options as run.sh (--bin, --units, --timeout, --stall, --logs, -v, units), except
#   --server and --skipfile/--no-skipfile, which this script sets. Default units: units.txt.
#   ZAKROS_CLUSTER_ELECTION_MS  election timeout of the nodes (default: zakros's own, 1000 ms)
#
# How: run.sh starts "$bin --port 0 --raft-enabled no --dir DIR" and reads the port from the first
# "Listening on host:port" line of its output. Here $bin is this script in serve mode
# (ZAKROS_RUN_CLUSTER_SERVE=1): it starts three zakros nodes (node ids 0-2, fsync on, data and logs
# under DIR/n<i>), waits for a leader whose peers are connected, prints "Listening on
# 127.0.0.1:<leader port>" and stays up until run.sh stops it (SIGTERM: it stops the nodes by
# PID) or until any node exits (run.sh then reports server-died). The suite runs without
# --cluster-mode because run.sh does not pass it; --singledb is passed as for a single node.
# Not in ctest: the 16 units take about 8 minutes here. Another runtest started at the same time
# may take its test-server port (21079); the unit then reports 'address already in use': rerun.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

if [ "${ZAKROS_RUN_CLUSTER_SERVE:-}" = 1 ]; then
  dir=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --dir) dir="$2"; shift 2 ;;
      *) shift ;;
    esac
  done
  [ -n "$dir" ] || { echo "run-cluster.sh (serve): no --dir" >&2; exit 1; }
  bin="$ZAKROS_CLUSTER_BIN"
  ports=() pids=()
  for i in 0 1 2; do ports+=("$(free_port)"); done
  addrs="127.0.0.1:${ports[0]} 127.0.0.1:${ports[1]} 127.0.0.1:${ports[2]}"
  extra=()
  [ -n "${ZAKROS_CLUSTER_ELECTION_MS:-}" ] && extra=(--raft-election-timeout "$ZAKROS_CLUSTER_ELECTION_MS")
  stop_nodes() {
    local p
    for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null; done
    local deadline=$((SECONDS + 10))
    for p in "${pids[@]}"; do
      while kill -0 "$p" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.05; done
      kill -KILL "$p" 2>/dev/null
      wait "$p" 2>/dev/null
    done
    for i in 0 1 2; do
      echo "--- node $i (port ${ports[$i]}) log tail:"
      tail -n 5 "$dir/n$i/server.log" 2>/dev/null
    done
  }
  trap 'stop_nodes; exit 0' TERM INT
  for i in 0 1 2; do
    mkdir -p "$dir/n$i"
    "$bin" --port "${ports[$i]}" --bind 127.0.0.1 --dir "$dir/n$i" --node-id "$i" \
      --cluster-addrs "$addrs" "${extra[@]}" >"$dir/n$i/server.log" 2>&1 &
    pids+=($!)
  done
  deadline=$((SECONDS + 15))
  leader=""
  while [ -z "$leader" ] && [ $SECONDS -lt $deadline ]; do
    for i in 0 1 2; do
      info=$(redis-cli -h 127.0.0.1 -p "${ports[$i]}" info raft 2>/dev/null | tr -d '\r')
      if grep -q '^raft_role:leader' <<<"$info" &&
        [ "$(grep -c '^raft_peer.*connected=1' <<<"$info")" = 2 ]; then
        leader="${ports[$i]}"
        break
      fi
    done
    [ -n "$leader" ] || sleep 0.1
  done
  if [ -z "$leader" ]; then
    echo "run-cluster.sh: no leader within 15 s"
    stop_nodes
    exit 1
  fi
  echo "cluster nodes: $addrs; leader node $i"
  echo "Listening on 127.0.0.1:$leader"
  # Stay up while every node is; 'wait -n' returns when one exits (signals interrupt it).
  wait -n "${pids[@]}"
  echo "run-cluster.sh: a node exited"
  stop_nodes
  exit 1
fi

bin="${ZAKROS_BIN:-$repo/build/zakros}"
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --bin) bin="$2"; shift 2 ;;
    --server | --skipfile) echo "run-cluster.sh: $1 is set by this script" >&2; exit 2 ;;
    --no-skipfile) echo "run-cluster.sh: --no-skipfile is not supported" >&2; exit 2 ;;
    -h | --help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) args+=("$1"); shift ;;
  esac
done
bin=$(realpath -m "$bin")
[ -x "$bin" ] || { echo "run-cluster.sh: zakros binary not found at $bin" >&2; exit 2; }

skip=$(mktemp "${TMPDIR:-/tmp}/zakros-skip-cluster.XXXXXX")
trap 'rm -f "$skip"' EXIT
cat "$here/skipfile.txt" "$here/skipfile-cluster.txt" >"$skip"
ZAKROS_RUN_CLUSTER_SERVE=1 ZAKROS_CLUSTER_BIN="$bin" \
  "$here/run.sh" --server zakros --bin "$here/run-cluster.sh" --skipfile "$skip" "${args[@]}"
