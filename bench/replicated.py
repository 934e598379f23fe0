#!/usr/bin/python3
"""Replicated zakros vs Debian's redis-server: throughput, reads, failover, recovery (issue 5).

One command runs every part side by side (Markdown with --markdown, for docs/benchmarks.md):

throughput  redis-benchmark, 50 clients, -P 1 and -P 16, alternating rounds (the order of the
            servers rotates every round; medians are reported, with the ratio zakros/redis):
              zakros-1    persistent single node (one-member Raft cluster, log fsynced under dir)
              zakros-3    3-node cluster on this machine (fsync on), benchmarked on the leader
              redis-aof   redis-server --appendonly yes --appendfsync always
              redis-vol   redis-server --save '' --appendonly no (volatile)
            SET and INCR for zakros-1/zakros-3 vs redis-aof; GET (linearizable, ReadIndex) on the
            zakros-3 leader vs redis-vol. Also tries `redis-benchmark --cluster` once against the
            cluster and reports what it says.
failover    SIGKILL of the 3-node cluster's leader, then SET attempts against the survivors until
            one is acknowledged; the time from the kill to that acknowledgement, over --trials
            trials (the killed node is restarted and caught up between trials), at the default
            election timeout (1000 ms) and at --short-election ms. Reports min/median/p90/max.
recovery    a persistent single node with --recovery-snapshot-keys keys in a snapshot (SAVE) and
            --recovery-keys SETs in its log after it: SIGKILL, restart, time until GET of the last
            key answers with its value; redis-server with appendfsync always, the same keys in an
            RDB base (BGREWRITEAOF) and an AOF after it, restarted the same way.

Not a test: not registered in ctest. Every process is started by this script, on free ports on
127.0.0.1, in a temporary directory, and stopped by its PID.

Usage: bench/replicated.py [--zakros PATH] [--parts throughput,failover,recovery] [--rounds N]
                           [--requests N] [--trials N] [--short-election MS]
                           [--recovery-snapshot-keys N] [--recovery-keys N] [--markdown]
"""

import argparse
import csv
import io
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import redis

sys.path.insert(0, str(Path(__file__).resolve().parent))
from compare_redis import CLIENTS, PIPELINES, fmt_rps, free_port, log, print_table  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"


class Proc:
    """One server process (zakros or redis-server) with a fixed port and data directory, kept
    across restarts. stop()/kill() act on exactly this process."""

    def __init__(self, label, argv, workdir, port):
        self.label, self.argv, self.workdir, self.port = label, list(argv), Path(workdir), port
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.proc = None
        self.logf = None

    def spawn(self):
        self.logf = open(self.workdir / "server.log", "ab")
        self.proc = subprocess.Popen(self.argv, stdout=self.logf, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, cwd=self.workdir)

    def start(self, timeout=30):
        self.spawn()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"{self.label} exited during start:\n{self.log_tail()}")
            try:
                if self.client(timeout=1).ping():
                    return self
            except redis.RedisError:
                pass
            time.sleep(0.05)
        raise SystemExit(f"{self.label} did not start:\n{self.log_tail()}")

    def client(self, timeout=5):
        return redis.Redis(host=HOST, port=self.port, socket_timeout=timeout,
                           socket_connect_timeout=timeout)

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def log_tail(self):
        return (self.workdir / "server.log").read_text(errors="replace")[-2000:]

    def kill(self, sig=signal.SIGKILL):
        if self.alive():
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.logf:
            self.logf.close()
            self.logf = None

    def stop(self):
        self.kill(signal.SIGTERM)


def zakros_single(binary, work, label="zakros-1", extra=()):
    port = free_port()
    d = work / label
    return Proc(label, [binary, "--port", str(port), "--bind", HOST, "--dir", str(d), *extra],
                d, port)


def redis_server(work, label, aof):
    port = free_port()
    d = work / label
    persist = ["--appendonly", "yes", "--appendfsync", "always"] if aof else \
        ["--appendonly", "no"]
    return Proc(label, [shutil.which("redis-server"), "--port", str(port), "--bind", HOST,
                        "--save", "", "--dir", str(d), *persist], d, port)


class Cluster:
    """A 3-node zakros cluster on this machine, each node with its own dir (fsync on)."""

    def __init__(self, binary, work, label="zakros-3", election_ms=None, size=3):
        ports = [free_port() for _ in range(size)]
        addrs = " ".join(f"{HOST}:{p}" for p in ports)
        extra = ["--raft-election-timeout", str(election_ms)] if election_ms else []
        self.label = label
        self.nodes = [Proc(f"{label}/n{i}",
                           [binary, "--port", str(p), "--bind", HOST, "--dir",
                            str(work / label / f"n{i}"), "--node-id", str(i),
                            "--cluster-addrs", addrs, *extra], work / label / f"n{i}", p)
                      for i, p in enumerate(ports)]

    def start(self):
        for n in self.nodes:
            n.start()
        return self

    def stop(self):
        for n in self.nodes:
            n.stop()

    @staticmethod
    def raft(node):
        try:
            return node.client(timeout=2).info("raft")
        except redis.RedisError:
            return None

    def leader(self, timeout=30):
        """The single live leader whose peers are all connected and caught up."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            leaders = []
            for n in self.nodes:
                info = self.raft(n) if n.alive() else None
                if info and info.get("raft_role") == "leader":
                    leaders.append((n, info))
            if len(leaders) == 1:
                n, info = leaders[0]
                peers = [v for k, v in info.items() if k.startswith("raft_peer")]
                if all(isinstance(p, dict) and p.get("connected") == 1 and p.get("lag") == 0
                       for p in peers) and len(peers) == len(self.nodes) - 1:
                    return n
            time.sleep(0.02)
        raise SystemExit(f"{self.label}: no caught-up leader within {timeout} s")


def bench(port, tests, pipeline, requests, extra=()):
    """One redis-benchmark invocation; returns {TEST: (rps, p50_ms, p99_ms)}."""
    args = ["redis-benchmark", "-h", HOST, "-p", str(port), "-c", str(CLIENTS), "-P",
            str(pipeline), "-n", str(requests), "-r", "100000", "--csv", "-t", ",".join(tests),
            *extra]
    p = subprocess.run(args, capture_output=True, text=True, timeout=900)
    if p.returncode != 0:
        raise SystemExit(f"redis-benchmark failed on port {port}: {p.stderr}{p.stdout}")
    return {row["test"]: (float(row["rps"]), float(row["p50_latency_ms"]),
                          float(row["p99_latency_ms"]))
            for row in csv.DictReader(io.StringIO(p.stdout))}


def throughput(binary, work, opts):
    single = zakros_single(binary, work)
    cluster = Cluster(binary, work)
    aof = redis_server(work, "redis-aof", aof=True)
    vol = redis_server(work, "redis-vol", aof=False)
    started = []
    try:
        for s in (single, aof, vol):
            s.start()
            started.append(s)
        cluster.start()
        started.append(cluster)
        leader = cluster.leader()
        log(f"zakros-1 :{single.port}, zakros-3 leader :{leader.port}, redis-aof :{aof.port}, "
            f"redis-vol :{vol.port}")
        targets = [("zakros-1", lambda: single.port, ["set", "incr"]),
                   ("zakros-3", lambda: cluster.leader().port, ["set", "incr", "get"]),
                   ("redis-aof", lambda: aof.port, ["set", "incr"]),
                   ("redis-vol", lambda: vol.port, ["set", "get"])]
        samples = {}
        for rnd in range(opts.rounds):
            k = rnd % len(targets)
            for label, port_of, tests in targets[k:] + targets[:k]:
                for p in PIPELINES:
                    n = opts.requests * (5 if p > 1 else 1)
                    log(f"round {rnd + 1}/{opts.rounds}: {label} -P {p}")
                    for t, v in bench(port_of(), tests, p, n).items():
                        samples.setdefault((label, t, p), []).append(v)

        # redis-benchmark --cluster: does it accept our CLUSTER NODES?
        p = subprocess.run(["redis-benchmark", "-h", HOST, "-p", str(cluster.nodes[1].port),
                            "--cluster", "-c", str(CLIENTS), "-n", "10000", "-t", "set",
                            "--csv"], capture_output=True, text=True, timeout=300)
        cluster_note = (p.stdout + p.stderr).strip().splitlines()
    finally:
        for s in started:
            s.stop()

    def med(label, t, p, i=0):
        vals = samples.get((label, t, p))
        return statistics.median(v[i] for v in vals) if vals else None

    rows = []
    pairs = [("zakros-1", "redis-aof", "SET", "1.5"), ("zakros-1", "redis-aof", "INCR", "1.5"),
             ("zakros-3", "redis-aof", "SET", "1.0"), ("zakros-3", "redis-aof", "INCR", "1.0"),
             ("zakros-3", "redis-vol", "GET", "0.8 at -P 16")]
    for p in PIPELINES:
        for a, b, t, target in pairs:
            ar, br = med(a, t, p), med(b, t, p)
            lat = lambda s, r: f"{med(s, t, p, 1):.2f}/{med(s, t, p, 2):.2f}" if r else "n/a"
            rows.append([t, str(p), a, fmt_rps(ar), b, fmt_rps(br),
                         f"{ar / br:.2f}" if ar and br else "n/a", target, lat(a, ar),
                         lat(b, br)])
    print_table(["test", "-P", "zakros", "zakros rps", "redis", "redis rps", "ratio", "target",
                 "zakros p50/p99 ms", "redis p50/p99 ms"], rows, opts.markdown)
    print()
    print("redis-benchmark --cluster against a follower: " + " / ".join(cluster_note[-3:]))


def pct(vals, q):
    vals = sorted(vals)
    return vals[min(len(vals) - 1, int(round(q * (len(vals) - 1))))]


def failover_trials(binary, work, election_ms, trials):
    """Seconds from SIGKILL of the leader to the first acknowledged SET, per trial."""
    cluster = Cluster(binary, work, f"failover-{election_ms or 'default'}", election_ms)
    times = []
    try:
        cluster.start()
        for i in range(trials):
            leader = cluster.leader(timeout=60)
            others = [n for n in cluster.nodes if n is not leader]
            clients = [n.client(timeout=2) for n in others]
            for c in clients:
                c.ping()  # connections open before the kill, as a client's pool would be
            t0 = time.monotonic()
            leader.kill(signal.SIGKILL)
            acked = None
            while acked is None and time.monotonic() - t0 < 60:
                for c in clients:
                    try:
                        if c.set("bench:failover", i):
                            acked = time.monotonic() - t0
                            break
                    except redis.RedisError:
                        pass  # MOVED to the dead leader, CLUSTERDOWN, timeout: try again
                time.sleep(0.002)
            if acked is None:
                raise SystemExit(f"no write acknowledged within 60 s after killing {leader.label}")
            times.append(acked)
            log(f"failover ({election_ms or 'default'} ms) trial {i + 1}/{trials}: "
                f"{acked * 1000:.0f} ms")
            leader.start()
    finally:
        cluster.stop()
    return times


def failover(binary, work, opts):
    rows = []
    for election_ms in (None, opts.short_election):
        ts = [t * 1000 for t in failover_trials(binary, work, election_ms, opts.trials)]
        rows.append([f"{election_ms or 1000} ms" + (" (default)" if not election_ms else ""),
                     str(len(ts)), f"{min(ts):.0f}", f"{statistics.median(ts):.0f}",
                     f"{pct(ts, 0.9):.0f}", f"{max(ts):.0f}"])
    print_table(["election timeout", "trials", "min ms", "median ms", "p90 ms", "max ms"], rows,
                opts.markdown)


def load_sets(port, n, conns=50, start=0):
    """SET key:i val:i for start <= i < start + n through conns concurrent redis-cli --pipe
    connections (each SET is its own command, so each is its own log entry on zakros)."""
    procs = []
    with tempfile.TemporaryDirectory(prefix="zakros-load.") as tmp:
        for c in range(conns):
            path = Path(tmp) / f"slice{c}"
            with open(path, "wb") as f:
                for i in range(start + c, start + n, conns):
                    f.write(b"*3\r\n$3\r\nSET\r\n$16\r\nkey:%012d\r\n$16\r\nval:%012d\r\n"
                            % (i, i))
            with open(path, "rb") as f:
                procs.append(subprocess.Popen(["redis-cli", "-h", HOST, "-p", str(port), "--pipe"],
                                              stdin=f, stdout=subprocess.PIPE,
                                              stderr=subprocess.STDOUT))
        for p in procs:
            out = p.communicate(timeout=1800)[0]
            if p.returncode != 0 or b"errors: 0" not in out:
                raise SystemExit(f"loading {n} keys failed: {out[-300:]!r}")


def time_to_serve(srv, n):
    """Spawns srv and returns seconds until GET of the last key answers with its value."""
    last_key, want = b"key:%012d" % (n - 1), b"val:%012d" % (n - 1)
    t0 = time.monotonic()
    srv.spawn()
    c = srv.client(timeout=5)
    while time.monotonic() - t0 < 600:
        if srv.proc.poll() is not None:
            raise SystemExit(f"{srv.label} exited on restart:\n{srv.log_tail()}")
        try:
            if c.get(last_key) == want:
                secs = time.monotonic() - t0
                if c.dbsize() != n:
                    raise SystemExit(f"{srv.label} has {c.dbsize()} keys after restart, not {n}")
                return secs
        except redis.RedisError:
            pass  # not listening yet, or -LOADING
        time.sleep(0.005)
    raise SystemExit(f"{srv.label} did not serve within 600 s:\n{srv.log_tail()}")


def du(path):
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())


def snapshot_now(srv, zakros):
    """zakros: SAVE (a Raft snapshot; the log before it is compacted). Redis: BGREWRITEAOF (an RDB
    base file plus an empty incremental AOF), waiting until it is done."""
    c = srv.client(timeout=600)
    if zakros:
        c.execute_command("SAVE")
        return
    c.execute_command("BGREWRITEAOF")
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        p = c.info("persistence")
        if not p.get("aof_rewrite_in_progress") and not p.get("aof_rewrite_scheduled"):
            return
        time.sleep(0.05)
    raise SystemExit(f"{srv.label}: BGREWRITEAOF did not finish")


def recovery(binary, work, opts):
    base, n = opts.recovery_snapshot_keys, opts.recovery_keys
    total = base + n
    rows = []
    # A log threshold above what the run writes: the one snapshot is the explicit SAVE.
    for srv in (zakros_single(binary, work, "recovery-zakros",
                              ["--raft-log-max-bytes", "4gb"]),
                redis_server(work, "recovery-redis-aof", aof=True)):
        zakros = srv.label.startswith("recovery-zakros")
        try:
            srv.start()
            if base:
                log(f"loading {base:,} SETs into {srv.label}, then a snapshot")
                load_sets(srv.port, base)
                snapshot_now(srv, zakros)
            log(f"loading {n:,} SETs into {srv.label}")
            load_sets(srv.port, n, start=base)
            info = srv.client().info("raft") if zakros else {}
            times = []
            for _ in range(opts.recovery_trials):
                srv.kill(signal.SIGKILL)
                times.append(time_to_serve(srv, total))
            size = du(srv.workdir) - (srv.workdir / "server.log").stat().st_size
            if zakros:
                what = (f"snapshot of {info.get('raft_snapshot_index', 0):,} entries + "
                        f"{info.get('raft_last_index', 0) - info.get('raft_snapshot_index', 0):,}"
                        f" log entries")
            else:
                what = f"RDB base of {base:,} keys + {n:,} SET in the AOF"
            rows.append([srv.label.replace("recovery-", ""), f"{total:,} keys: {what}",
                         f"{size / 1e6:.1f}", f"{statistics.median(times) * 1000:.0f}",
                         f"{min(times) * 1000:.0f}/{max(times) * 1000:.0f}"])
        finally:
            srv.stop()
    print_table(["server", "data on disk", "MB on disk", "median ms to serve", "min/max ms"],
                rows, opts.markdown)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--zakros", default=os.environ.get("ZAKROS_BIN",
                                                         str(REPO / "build" / "zakros")))
    ap.add_argument("--parts", default="throughput,failover,recovery")
    ap.add_argument("--rounds", type=int, default=4, help="alternating rounds (median taken)")
    ap.add_argument("--requests", type=int, default=20_000,
                    help="requests per test at -P 1 (x5 at -P 16)")
    ap.add_argument("--trials", type=int, default=20, help="failover trials per timeout")
    ap.add_argument("--short-election", type=int, default=300, help="short election timeout ms")
    ap.add_argument("--recovery-snapshot-keys", type=int, default=1_000_000,
                    help="keys written before the snapshot (zakros SAVE, Redis BGREWRITEAOF)")
    ap.add_argument("--recovery-keys", type=int, default=100_000,
                    help="SETs written after it (zakros log entries, Redis AOF commands)")
    ap.add_argument("--recovery-trials", type=int, default=3)
    ap.add_argument("--markdown", action="store_true", help="print tables as Markdown")
    opts = ap.parse_args()
    for tool in ("redis-server", "redis-benchmark", "redis-cli"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} not found (Debian packages redis-server, redis-tools)")
    binary = os.path.abspath(opts.zakros)
    if not os.access(binary, os.X_OK):
        raise SystemExit(f"zakros binary not found at {binary} (build it or pass --zakros)")
    parts = [p for p in opts.parts.split(",") if p]
    work = Path(tempfile.mkdtemp(prefix="zakros-bench-repl."))
    try:
        log(f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
        for part in parts:
            fn = {"throughput": throughput, "failover": failover, "recovery": recovery}.get(part)
            if fn is None:
                raise SystemExit(f"unknown part {part}")
            print(f"\n## {part}\n" if opts.markdown else f"\n{part}:")
            fn(binary, work, opts)
            sys.stdout.flush()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
