#!/usr/bin/env bash
# Runs Redis 7.0's own Tcl test suite (Debian's redis source package, fetched into
# tests/redis-suite/redis-src by scripts/setup.sh) against a server in external mode, one fresh
# server per unit, exactly like /work/shared/reference/redis-suite-external-baseline.txt.
#
# Usage: tests/redis-suite/run.sh [options] [unit/X ...]
#   --server zakros|redis  which server to start per unit (default zakros; redis = Debian's
#                          redis-server, to validate this harness against the baseline counts)
#   --bin PATH             zakros binary (default $ZAKROS_BIN, else <repo>/build/zakros)
#   --units FILE           run the units listed in FILE (default units.txt beside this script)
#   --all                  run every unit under redis-src/tests/unit (informational)
#   --skipfile FILE        skipfile (default skipfile.txt beside this script); '#' lines and
#                          blank lines are stripped before it is handed to Redis's --skipfile
#   --no-skipfile          run without any skipfile
#   --timeout SEC          wall-clock limit per unit (default 900)
#   --stall SEC            runtest gives up when no test finishes for this long (default 90);
#                          it then prints [TIMEOUT] and which test was in progress
#   --logs DIR             keep each unit's full output and server log in DIR
#   --baseport N           runtest's own port range starts at N (default 21079); give concurrent
#                          runs different ones
#   -v, --verbose          print every [err]/[exception] with the lines that explain it
#                          (always done for required units)
# Units given on the command line replace the --units list.
#
# Prints one line per unit (ok/err/exception/skip counts, runtest's exit code, status), then the
# failing tests with their error lines, then totals. Exits 1 if a unit listed in units.txt (the
# required list) has an [err] or [exception], does not complete, or its server dies; units not in
# the required list are reported but never fail the run.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
src="$here/redis-src"

server=zakros
bin="${ZAKROS_BIN:-$repo/build/zakros}"
units_file="$here/units.txt"
skipfile="$here/skipfile.txt"
unit_timeout=900
stall_timeout=90
logs=""
baseport=21079
verbose=0
all=0
cli_units=()

while [ $# -gt 0 ]; do
  case "$1" in
    --server) server="$2"; shift 2 ;;
    --bin) bin="$2"; shift 2 ;;
    --units) units_file="$2"; shift 2 ;;
    --all) all=1; shift ;;
    --skipfile) skipfile="$2"; shift 2 ;;
    --no-skipfile) skipfile=""; shift ;;
    --timeout) unit_timeout="$2"; shift 2 ;;
    --stall) stall_timeout="$2"; shift 2 ;;
    --logs) logs="$2"; shift 2 ;;
    --baseport) baseport="$2"; shift 2 ;;
    -v | --verbose) verbose=1; shift ;;
    -h | --help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    unit/*) cli_units+=("$1"); shift ;;
    *) echo "run.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

die() { echo "run.sh: $*" >&2; exit 2; }

[ -f "$src/tests/test_helper.tcl" ] ||
  die "Redis's test suite is missing at $src (run scripts/setup.sh, which fetches it with apt-get source redis)"
command -v tclsh >/dev/null || die "tclsh not found (Debian package tcl; scripts/setup.sh installs it)"
case "$server" in
  zakros) bin=$(realpath -m "$bin"); [ -x "$bin" ] || die "zakros binary not found at $bin (build it, or pass --bin / set ZAKROS_BIN)" ;;
  redis) bin=$(command -v redis-server) || die "redis-server not found" ;;
  *) die "--server must be zakros or redis" ;;
esac

# Reads a unit list: one unit per line, '#' starts a comment.
read_units() { sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e 's/^[[:space:]]*//' "$1" | grep -v '^$'; }

required=()
[ -f "$here/units.txt" ] && mapfile -t required < <(read_units "$here/units.txt")
if [ ${#cli_units[@]} -gt 0 ]; then
  units=("${cli_units[@]}")
elif [ "$all" = 1 ]; then
  mapfile -t units < <(cd "$src/tests" && find unit -name '*.tcl' | sed 's/\.tcl$//' | sort)
else
  [ -f "$units_file" ] || die "unit list $units_file not found"
  mapfile -t units < <(read_units "$units_file")
fi
[ ${#units[@]} -gt 0 ] || die "no units to run"

is_required() {
  local u
  for u in "${required[@]}"; do [ "$u" = "$1" ] && return 0; done
  return 1
}

work=$(mktemp -d "${TMPDIR:-/tmp}/zakros-redis-suite.XXXXXX")
server_pid=""
cleanup() {
  stop_server
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Redis's parser treats every line of the skipfile as a test name (or /regexp); a comment line
# would be harmless, but stripping comments and blanks keeps the list exactly what we mean.
skip_args=()
if [ -n "$skipfile" ]; then
  [ -f "$skipfile" ] || die "skipfile $skipfile not found"
  grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$skipfile" >"$work/skipfile" || true
  skip_args=(--skipfile "$work/skipfile")
fi

# A free TCP port on 127.0.0.1 for redis-server (whose --port 0 means "no TCP at all"). Ephemeral
# ports never collide with the 21079-21110 range runtest uses for its own test server.
free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# True once something accepts TCP connections on 127.0.0.1:$1.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Starts a fresh server in $1 (a directory); sets server_pid and port. Polls with a deadline.
start_server() {
  local dir="$1" log="$1/server.log" deadline=$((SECONDS + 20))
  port=""
  if [ "$server" = zakros ]; then
    # --port 0: the kernel picks a free port, zakros logs "Listening on <host>:<port>".
    "$bin" --port 0 --raft-enabled no --dir "$dir" >"$log" 2>&1 &
    server_pid=$!
    while [ $SECONDS -lt $deadline ]; do
      port=$(grep -o 'Listening on [^ ]*:[0-9]*' "$log" 2>/dev/null | head -n 1 | sed 's/.*://')
      [ -n "$port" ] && break
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.05
    done
  else
    port=$(free_port)
    "$bin" --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" >"$log" 2>&1 &
    server_pid=$!
  fi
  while [ -n "$port" ] && [ $SECONDS -lt $deadline ]; do
    port_open "$port" && return 0
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.05
  done
  echo "run.sh: the server did not start listening; its log ($log) says:" >&2
  tail -n 20 "$log" >&2
  stop_server
  return 1
}

# Stops exactly the server this script started: SIGTERM, then SIGKILL after a deadline.
stop_server() {
  [ -n "$server_pid" ] || return 0
  kill -TERM "$server_pid" 2>/dev/null
  local deadline=$((SECONDS + 10))
  while kill -0 "$server_pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.05; done
  kill -KILL "$server_pid" 2>/dev/null
  wait "$server_pid" 2>/dev/null
  server_pid=""
}

tags='-needs:repl -needs:debug -needs:pfdebug -needs:config-maxmemory -needs:save -large-memory'
[ -n "$logs" ] && mkdir -p "$logs"
mkdir -p "$src/tests/tmp"

failed_required=0
tot_ok=0 tot_err=0 tot_exc=0 tot_skip=0
report="$work/report"
: >"$report"
printf '%-28s %-7s %-6s %-12s %-7s %-4s %s\n' "# unit" ok err exception skip rc status
for unit in "${units[@]}"; do
  [ -f "$src/tests/$unit.tcl" ] || die "no such unit: $unit"
  udir="$work/$(echo "$unit" | tr / _)"
  mkdir -p "$udir"
  out="$udir/runtest.out"
  status=ok
  rc=0
  if start_server "$udir"; then
    # TERM=dumb: no colour codes in the output we parse. --timeout: runtest gives up after this
    # many seconds without progress; timeout(1) bounds the whole unit.
    (cd "$src" && TERM=dumb timeout -k 10 "$unit_timeout" ./runtest --host 127.0.0.1 --port "$port" \
      --singledb --ignore-encoding --ignore-digest --clients 1 --timeout "$stall_timeout" --baseport "$baseport" \
      --tags "$tags" "${skip_args[@]}" --single "$unit") >"$out" 2>&1
    rc=$?
    if ! kill -0 "$server_pid" 2>/dev/null; then
      status="server-died"
    fi
    stop_server
  else
    status="no-server"
    rc=-1
    : >"$out"
  fi
  ok=$(grep -c '^\[ok\]:' "$out")
  err=$(grep -c '^\[err\]:' "$out")
  exc=$(grep -c '^\[exception\]:' "$out")
  skip=$(grep -c '^\[skip\]:' "$out")
  if [ "$status" = ok ]; then
    if [ "$rc" = 124 ] || [ "$rc" = 137 ] || grep -q '^\[TIMEOUT\]' "$out"; then
      status=timeout
    elif [ "$err" -gt 0 ] || [ "$exc" -gt 0 ]; then
      status=failed
    elif [ "$rc" != 0 ] || ! grep -q "done\]: $unit " "$out"; then
      status=incomplete
    fi
  fi
  req=""
  if is_required "$unit"; then
    req=" (required)"
    [ "$status" = ok ] || failed_required=$((failed_required + 1))
  fi
  printf '%-28s ok=%-4s err=%-3s exception=%-2s skip=%-3s rc=%-3s %s%s\n' \
    "$unit" "$ok" "$err" "$exc" "$skip" "$rc" "$status" "$req"
  tot_ok=$((tot_ok + ok)) tot_err=$((tot_err + err)) tot_exc=$((tot_exc + exc)) tot_skip=$((tot_skip + skip))
  if [ "$status" != ok ] && { [ -n "$req" ] || [ "$verbose" = 1 ]; }; then
    {
      echo "== $unit: $status"
      # Each [err] is followed by the assertion text; an [exception] by a Tcl stack trace.
      # An [exception] aborts the rest of the unit; the test it happened in is the first
      # 'test {name}' (or "test name") line of its Tcl stack trace.
      awk '/^\[/ {n = 0; if (exc) exit} /^\[err\]:/ {n = 4} /^\[exception\]:/ {n = 4; exc = 1}
           /^\[TIMEOUT\]/ {n = 15}
           n > 0 {print "   " $0; n--}
           exc && !named && /^ *"test [{"]/ {
             sub(/^ *"test [{"]/, ""); sub(/[}"] [{"]?$/, ""); print "   (in test: " $0 ")"; named = 1 }' "$out"
      if [ "$status" = incomplete ] || [ "$status" = no-server ] || [ "$status" = server-died ]; then
        echo "   --- last lines of runtest output:"
        tail -n 8 "$out" | sed 's/^/   /'
        echo "   --- last lines of the server log:"
        tail -n 8 "$udir/server.log" | sed 's/^/   /'
      fi
    } >>"$report"
  fi
  if [ -n "$logs" ]; then
    cp "$out" "$logs/$(echo "$unit" | tr / _).out"
    cp "$udir/server.log" "$logs/$(echo "$unit" | tr / _).server.log" 2>/dev/null
  fi
  rm -rf "$udir"
done

if [ -s "$report" ]; then
  echo
  cat "$report"
fi
echo
skip_lines=0
[ -f "$work/skipfile" ] && skip_lines=$(wc -l <"$work/skipfile")
echo "totals: units=${#units[@]} ok=$tot_ok err=$tot_err exception=$tot_exc skipped=$tot_skip" \
  "(skipfile entries: $skip_lines) server=$server required-units-failing=$failed_required"
[ "$failed_required" -eq 0 ]
