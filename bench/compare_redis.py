#!/usr/bin/python3
"""zakros vs Debian's redis-server: throughput, latency and memory (issue 2, item 11).

Starts zakros (--raft-enabled no) and redis-server (--save '' --appendonly no) on free ports and
runs redis-benchmark against each in turn for several alternating rounds: 50 clients, -P 1 and
-P 16, for PING (PING_MBULK), SET, GET, INCR, MSET (10 keys), LPUSH, SADD. Prints, per test and
pipeline depth, the median over rounds of each server's requests/s, their ratio zakros/redis and
the p50/p99 latencies redis-benchmark reports (--csv). Then loads the same 1,000,000 keys with
16-byte values into a fresh instance of each (redis-cli --pipe) and compares resident memory
(VmRSS). A command zakros does not have yet is reported as n/a, not as a failure.

--suite types (issue 3) runs the data-type commands instead: LPUSH, RPOP, HSET, HGET, SADD, SPOP,
ZADD, ZRANGE of 100 elements and XADD, same clients, pipelines and rounds, and compares resident
memory for 100,000 small hashes (10 fields), sets (10 members), sorted sets (10 members), lists
(10 elements) and one sorted set of 1,000,000 members, each loaded into a fresh pair of servers.
--suite all runs both.

This is a benchmark, not a test: it is not registered in ctest. Results go to docs/benchmarks.md.

Usage: bench/compare_redis.py [--zakros PATH] [--rounds N] [--requests N] [--tests a,b]
                              [--suite foundation|types|all] [--no-memory] [--no-pin]
                              [--self-test] [--markdown]
"""

import argparse
import csv
import io
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TESTS = ["ping_mbulk", "set", "get", "incr", "mset", "lpush", "sadd"]
# What redis-benchmark calls each test in its CSV, and a command that shows whether the server
# has it at all (an "unknown command" reply makes the test n/a).
CSV_NAMES = {"ping_mbulk": "PING_MBULK", "set": "SET", "get": "GET", "incr": "INCR",
             "mset": "MSET (10 keys)", "lpush": "LPUSH", "sadd": "SADD"}
PROBES = {"ping_mbulk": ["PING"], "set": ["SET", "bench:probe:s", "x"],
          "get": ["GET", "bench:probe:s"], "incr": ["INCR", "bench:probe:i"],
          "mset": ["MSET", "bench:probe:m1", "a", "bench:probe:m2", "b"],
          "lpush": ["LPUSH", "bench:probe:l", "x"], "sadd": ["SADD", "bench:probe:z", "x"]}
# Issue 3's data-type tests. Built-in redis-benchmark tests where it has one (its RPOP pops what its
# LPUSH pushed and its SPOP what its SADD added, so order matters); the others are custom commands,
# run after the built-ins against the state they left (HGET reads the fields HSET wrote).
TYPE_TESTS = ["lpush", "rpop", "hset", "hget", "sadd", "spop", "zadd", "zrange_100", "xadd"]
CSV_NAMES.update({"rpop": "RPOP", "hset": "HSET", "hget": "HGET", "spop": "SPOP", "zadd": "ZADD",
                  "zrange_100": "ZRANGE (100 elements)", "xadd": "XADD"})
PROBES.update({"rpop": ["RPOP", "bench:probe:l"], "hset": ["HSET", "bench:probe:h", "f", "v"],
               "hget": ["HGET", "bench:probe:h", "f"], "spop": ["SPOP", "bench:probe:z"],
               "zadd": ["ZADD", "bench:probe:zz", "1", "a"],
               "zrange_100": ["ZRANGE", "bench:probe:zz", "0", "-1"],
               "xadd": ["XADD", "bench:probe:x", "*", "f", "v"]})
CUSTOM = {"hget": ["HGET", "myhash", "element:__rand_int__"],
          "zrange_100": ["ZRANGE", "bench:zrange100", "0", "99"],
          "xadd": ["XADD", "bench:stream", "*", "myfield", "myvalue"]}
ALL_TESTS = TESTS + [t for t in TYPE_TESTS if t not in TESTS]
CLIENTS = 50
PIPELINES = [1, 16]
MEMORY_KEYS = 1_000_000


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A server process started by this script; stop() ends exactly that process."""

    def __init__(self, kind, binary, workdir, cpu, label=None):
        self.kind, self.binary, self.workdir, self.cpu = kind, binary, Path(workdir), cpu
        self.label = label or kind
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.log_path = self.workdir / "server.log"
        self.proc = None
        self.port = None

    def start(self):
        if self.kind == "zakros":
            args = [self.binary, "--port", "0", "--raft-enabled", "no", "--dir", str(self.workdir)]
        else:
            self.port = free_port()
            args = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                    "--appendonly", "no", "--dir", str(self.workdir)]
        if self.cpu is not None:
            args = ["taskset", "-c", str(self.cpu)] + args
        self.logf = open(self.log_path, "wb")
        self.proc = subprocess.Popen(args, stdout=self.logf, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, cwd=self.workdir)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"{self.label} exited during start:\n{self.log_tail()}")
            if self.port is None:
                m = re.search(rb"Listening on \S+:(\d+)", self.log_path.read_bytes())
                if m:
                    self.port = int(m.group(1))
            if self.port is not None and self.cli("PING", check=False) == "PONG":
                return self
            time.sleep(0.05)
        self.stop()
        raise SystemExit(f"{self.label} did not start listening:\n{self.log_tail()}")

    def log_tail(self):
        return self.log_path.read_text(errors="replace")[-2000:]

    def cli(self, *args, check=True):
        p = subprocess.run(["redis-cli", "-p", str(self.port), *args], capture_output=True,
                           text=True, timeout=60)
        if check and p.returncode != 0:
            raise SystemExit(f"redis-cli {' '.join(args)} failed: {p.stderr}")
        return p.stdout.strip()

    def rss_kb(self):
        # With taskset the server is exec'd in place, so the pid is the server's.
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        raise SystemExit("no VmRSS")

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc is not None:
            self.logf.close()


def supported(server, test):
    out = server.cli(*PROBES[test], check=False)
    return not out.startswith("ERR unknown command")


def run_benchmark(server, tests, pipeline, requests, cpu):
    """redis-benchmark runs; returns {test: (rps, p50_ms, p99_ms)}. Built-in tests run in one
    invocation (in redis-benchmark's own order), then each custom command in its own."""
    base = ["redis-benchmark", "-p", str(server.port), "-c", str(CLIENTS), "-P", str(pipeline),
            "-n", str(requests), "-r", "100000", "--csv"]
    if cpu is not None:
        base = ["taskset", "-c", str(cpu)] + base
    builtin = [t for t in tests if t not in CUSTOM]
    runs = ([(base + ["-t", ",".join(builtin)], None)] if builtin else []) + \
        [(base + CUSTOM[t], t) for t in tests if t in CUSTOM]
    results = {}
    by_name = {v: k for k, v in CSV_NAMES.items()}
    for args, custom in runs:
        p = subprocess.run(args, capture_output=True, text=True, timeout=600)
        if p.returncode != 0:
            raise SystemExit(f"redis-benchmark failed against {server.kind}: {p.stderr}")
        for row in csv.DictReader(io.StringIO(p.stdout)):
            # A custom command's row is named after its command line.
            test = custom or by_name.get(row["test"])
            if test:
                results[test] = (float(row["rps"]), float(row["p50_latency_ms"]),
                                 float(row["p99_latency_ms"]))
    return results


def prepare(server, tests):
    """State the custom tests read: a sorted set of exactly 100 members for ZRANGE 0 99."""
    if "zrange_100" in tests:
        args = ["ZADD", "bench:zrange100"]
        for i in range(100):
            args += [str(i), f"member:{i:03d}"]
        server.cli("DEL", "bench:zrange100")
        server.cli(*args)


def load_keys(server, n):
    """Loads the same n keys (16 bytes) with 16-byte values into server with redis-cli --pipe."""
    proto = bytearray()
    for i in range(n):
        proto += b"*3\r\n$3\r\nSET\r\n$16\r\nkey:%012d\r\n$16\r\nval:%012d\r\n" % (i, i)
    p = subprocess.run(["redis-cli", "-p", str(server.port), "--pipe"], input=bytes(proto),
                       capture_output=True, timeout=600)
    if p.returncode != 0 or b"errors: 0" not in p.stdout:
        raise SystemExit(f"loading keys into {server.kind} failed: {p.stdout!r} {p.stderr!r}")
    dbsize = int(server.cli("DBSIZE"))
    if dbsize != n:
        raise SystemExit(f"{server.kind} has {dbsize} keys after loading {n}")


# Issue 3's memory datasets: name -> (description, generator of RESP commands, key count).
def _resp(*args):
    out = b"*%d\r\n" % len(args)
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    return out


def _hashes(n):
    for i in range(n):
        args = ["HSET", f"hash:{i:08d}"]
        for f in range(10):
            args += [f"field:{f}", f"value:{i % 1000:04d}:{f}"]
        yield _resp(*args)


def _sets(n):
    for i in range(n):
        yield _resp("SADD", f"set:{i:08d}", *[f"member:{i % 1000:04d}:{m}" for m in range(10)])


def _zsets(n):
    for i in range(n):
        args = ["ZADD", f"zset:{i:08d}"]
        for m in range(10):
            args += [str(m * 1.5), f"member:{i % 1000:04d}:{m}"]
        yield _resp(*args)


def _lists(n):
    for i in range(n):
        yield _resp("RPUSH", f"list:{i:08d}", *[f"element:{i % 1000:04d}:{m}" for m in range(10)])


def _big_zset(n):
    for start in range(0, n, 100):
        args = ["ZADD", "bigzset"]
        for i in range(start, min(n, start + 100)):
            args += [str(i), f"member:{i:08d}"]
        yield _resp(*args)


TYPE_MEMORY = [
    ("hashes", "100,000 hashes of 10 fields (listpack)", _hashes, 100_000, 100_000, "HSET"),
    ("sets", "100,000 sets of 10 string members (hashtable)", _sets, 100_000, 100_000, "SADD"),
    ("zsets", "100,000 sorted sets of 10 members (listpack)", _zsets, 100_000, 100_000, "ZADD"),
    ("lists", "100,000 lists of 10 elements (quicklist)", _lists, 100_000, 100_000, "RPUSH"),
    ("bigzset", "1 sorted set of 1,000,000 members (skiplist)", _big_zset, 1_000_000, 1, "ZADD"),
]


def load_dataset(server, gen, n, keys):
    """Loads a TYPE_MEMORY dataset with redis-cli --pipe and checks DBSIZE."""
    proto = b"".join(gen(n))
    p = subprocess.run(["redis-cli", "-p", str(server.port), "--pipe"], input=proto,
                       capture_output=True, timeout=900)
    if p.returncode != 0 or b"errors: 0" not in p.stdout:
        raise SystemExit(f"loading into {server.label} failed: {p.stdout[-500:]!r} "
                         f"{p.stderr[-500:]!r}")
    dbsize = int(server.cli("DBSIZE"))
    if dbsize != keys:
        raise SystemExit(f"{server.label} has {dbsize} keys after loading {keys}")


def type_memory(a_kind, a_bin, a_label, work, server_cpu, markdown):
    rows = []
    for name, desc, gen, n, keys, probe in TYPE_MEMORY:
        res = {}
        for label, kind, binary in ((a_label, a_kind, a_bin),
                                    ("redis", "redis", shutil.which("redis-server"))):
            srv = Server(kind, binary, work / f"mem-{name}-{label}", server_cpu, label)
            srv.start()
            try:
                if srv.cli(probe, "bench:probe:mem", *(["1", "a"] if probe == "ZADD" else
                                                       ["f", "v"] if probe == "HSET" else ["x"]),
                           check=False).startswith("ERR unknown command"):
                    log(f"{label} lacks {probe}: {name} is n/a")
                    res[label] = None
                    continue
                srv.cli("DEL", "bench:probe:mem")
                empty = srv.rss_kb()
                log(f"loading {desc} into {label}")
                t0 = time.monotonic()
                load_dataset(srv, gen, n, keys)
                res[label] = (empty, srv.rss_kb(), time.monotonic() - t0)
            finally:
                srv.stop()
        a, b = res.get(a_label), res.get("redis")
        cell = lambda r, i: f"{r[i] / 1024:.1f}" if r else "n/a"
        ratio = f"{a[1] / b[1]:.2f}" if a and b else "n/a"
        rows.append([desc, cell(a, 1), cell(b, 1), ratio,
                     f"{(a[1] - a[0]) / 1024:.1f}" if a else "n/a",
                     f"{(b[1] - b[0]) / 1024:.1f}" if b else "n/a"])
    print_table(["dataset", f"{a_label} RSS MB", "redis RSS MB", "RSS ratio",
                 f"{a_label} delta MB", "redis delta MB"], rows, markdown)


def fmt_rps(v):
    return "n/a" if v is None else f"{v:,.0f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--zakros", default=os.environ.get("ZAKROS_BIN",
                                                         str(REPO / "build" / "zakros")))
    ap.add_argument("--rounds", type=int, default=3, help="alternating rounds (median taken)")
    ap.add_argument("--requests", type=int, default=100_000,
                    help="requests per test at -P 1 (x10 at -P 16)")
    ap.add_argument("--tests", help="comma-separated tests (default: those of the suite)")
    ap.add_argument("--suite", choices=["foundation", "types", "all"], default="foundation",
                    help="foundation: PING..SADD and 1M strings (issue 2); types: the data-type "
                         "commands and memory datasets (issue 3); all: both")
    ap.add_argument("--no-memory", action="store_true", help="skip the 1M-key memory comparison")
    ap.add_argument("--no-pin", action="store_true",
                    help="do not pin the server to CPU 0 and redis-benchmark to CPU 1")
    ap.add_argument("--self-test", action="store_true",
                    help="run redis-server in both slots (checks the harness and shows noise)")
    ap.add_argument("--markdown", action="store_true", help="print tables as Markdown")
    opts = ap.parse_args()

    for tool in ("redis-server", "redis-benchmark", "redis-cli"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} not found (Debian packages redis-server, redis-tools)")
    a_kind, a_bin = ("redis", shutil.which("redis-server")) if opts.self_test else \
        ("zakros", os.path.abspath(opts.zakros))  # absolute: servers run in their own dirs
    a_label = "redis(A)" if opts.self_test else "zakros"
    if a_kind == "zakros" and not os.access(a_bin, os.X_OK):
        raise SystemExit(f"zakros binary not found at {a_bin} (build it or pass --zakros)")
    pin = not opts.no_pin and (os.cpu_count() or 1) >= 2 and shutil.which("taskset")
    server_cpu, bench_cpu = (0, 1) if pin else (None, None)
    if opts.tests:
        tests = [t for t in opts.tests.split(",") if t]
    else:
        tests = {"foundation": TESTS, "types": TYPE_TESTS,
                 "all": TESTS + [t for t in TYPE_TESTS if t not in TESTS]}[opts.suite]
    for t in tests:
        if t not in ALL_TESTS:
            raise SystemExit(f"unknown test {t}; choose from {','.join(ALL_TESTS)}")

    work = Path(tempfile.mkdtemp(prefix="zakros-bench."))
    servers = []
    try:
        load1 = os.getloadavg()[0]
        log(f"load average before starting: {load1:.2f}"
            + ("  (the machine is busy: expect noisy numbers)" if load1 > 1.0 else ""))
        a = Server(a_kind, a_bin, work / "a", server_cpu, a_label)
        b = Server("redis", shutil.which("redis-server"), work / "b", server_cpu)
        servers += [a, b]
        a.start()
        b.start()
        a_tests = [t for t in tests if supported(a, t)]
        prepare(a, a_tests)
        prepare(b, tests)
        missing = [t for t in tests if t not in a_tests]
        if missing:
            log(f"{a.label} lacks {', '.join(missing)}: reported as n/a")
        log(f"{a.label} on port {a.port}, redis on port {b.port}; {opts.rounds} rounds, "
            f"{CLIENTS} clients" + (", server on CPU 0, redis-benchmark on CPU 1" if pin else ""))

        # samples[(server, test, pipeline)] = [(rps, p50, p99), ...]
        samples = {}
        for rnd in range(opts.rounds):
            order = [(a, a_tests), (b, tests)] if rnd % 2 == 0 else [(b, tests), (a, a_tests)]
            for srv, srv_tests in order:
                if not srv_tests:
                    continue
                for pipeline in PIPELINES:
                    n = opts.requests * (10 if pipeline > 1 else 1)
                    log(f"round {rnd + 1}/{opts.rounds}: {srv.label} -P {pipeline}")
                    res = run_benchmark(srv, srv_tests, pipeline, n, bench_cpu)
                    for t, v in res.items():
                        samples.setdefault((srv, t, pipeline), []).append(v)
                    if srv.proc.poll() is not None:
                        raise SystemExit(f"{srv.label} died during the benchmark:\n"
                                         f"{srv.log_tail()}")

        def med(srv, t, p, i):
            vals = samples.get((srv, t, p))
            return statistics.median(v[i] for v in vals) if vals else None

        header = ["test", "-P", f"{a.label} rps", "redis rps", "ratio",
                  f"{a.label} p50/p99 ms", "redis p50/p99 ms"]
        rows = []
        for p in PIPELINES:
            for t in tests:
                ar, br = med(a, t, p, 0), med(b, t, p, 0)
                ratio = f"{ar / br:.2f}" if ar and br else "n/a"
                alat = f"{med(a, t, p, 1):.3f}/{med(a, t, p, 2):.3f}" if ar else "n/a"
                blat = f"{med(b, t, p, 1):.3f}/{med(b, t, p, 2):.3f}" if br else "n/a"
                rows.append([CSV_NAMES[t], str(p), fmt_rps(ar), fmt_rps(br), ratio, alat, blat])
        print_table(header, rows, opts.markdown)

        for s in servers:
            s.stop()
        servers = []

        if not opts.no_memory and opts.suite in ("types", "all"):
            print()
            type_memory(a_kind, a_bin, a_label, work, server_cpu, opts.markdown)

        if not opts.no_memory and opts.suite in ("foundation", "all"):
            print()
            a = Server(a_kind, a_bin, work / "ma", server_cpu, a_label)
            b = Server("redis", shutil.which("redis-server"), work / "mb", server_cpu)
            servers += [a, b]
            rows = []
            results = {}
            for srv in (a, b):
                srv.start()
                empty = srv.rss_kb()
                log(f"loading {MEMORY_KEYS:,} keys into {srv.label}")
                t0 = time.monotonic()
                load_keys(srv, MEMORY_KEYS)
                secs = time.monotonic() - t0
                loaded = srv.rss_kb()
                results[srv] = loaded
                rows.append([srv.label, f"{empty / 1024:.1f}", f"{loaded / 1024:.1f}",
                             f"{(loaded - empty) / 1024:.1f}", f"{secs:.1f}"])
                srv.stop()
            print_table(["server", "RSS empty MB", "RSS 1M keys MB", "delta MB", "load s"],
                        rows, opts.markdown)
            print(f"\nmemory ratio {a.label}/redis (RSS with 1M keys): "
                  f"{results[a] / results[b]:.2f}")
    finally:
        for s in servers:
            s.stop()
        shutil.rmtree(work, ignore_errors=True)


def print_table(header, rows, markdown):
    if markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "|".join(" --- " for _ in header) + "|")
        for r in rows:
            print("| " + " | ".join(r) + " |")
        return
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    for r in [header] + rows:
        print("  ".join(str(x).ljust(w) for x, w in zip(r, widths)))


if __name__ == "__main__":
    main()
