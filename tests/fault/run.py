#!/usr/bin/python3
"""Fault-injection runs against a real zakros cluster, checked for linearizability.

    /usr/bin/python3 tests/fault/run.py --nemesis all --duration 300 --nodes 5

runs every nemesis in turn (each on a fresh cluster, for --duration seconds) with concurrent
clients doing the register and list-append workloads (workload.py), then heals everything,
reads the final state, checks the history (checker.py) and prints one line per nemesis:
duration, operations (ok / failed / unknown) and the result. The exit code is 0 only if every
run came out as expected: valid, or, with --expect-violation (used with --break, a deliberately
unsafe server), a violation found within --attempts fresh runs.

A run's directory (server logs, history.json, nemesis events) is kept when it did not come out
as expected, or with --keep; its path is printed.
"""

import argparse
import json
import os
import random
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from checker import check_append_history, check_registers  # noqa: E402
from cluster import DEFAULT_BIN, Cluster  # noqa: E402
from nemesis import EXTRA_NEMESES, NEMESES, Nemesis  # noqa: E402
from workload import History, KeySpace, Worker, final_reads  # noqa: E402

ALL = NEMESES + EXTRA_NEMESES + ["mixed"]


def run_one(args, kind, seed, out=print):
    """One nemesis on a fresh cluster. Returns a dict describing the run."""
    rng = random.Random(seed)
    cluster = Cluster(args.nodes, binary=args.bin, test_break=args.test_break,
                      election_ms=args.election_ms, heartbeat_ms=args.heartbeat_ms,
                      proxies=not args.no_proxies, server_args=args.server_arg)
    history = History()
    result = {"nemesis": kind, "seed": seed, "dir": cluster.workdir}
    verbose_log = (lambda s: out(s)) if args.verbose else (lambda s: None)
    keep = args.keep
    nemesis = None
    try:
        cluster.start()
        cluster.wait_healthy(timeout=60)
        keys = KeySpace(args.key_period, tag=f"f{seed}")
        stop = threading.Event()
        workers = [Worker(w, cluster, history, keys, args.workloads, stop,
                          seed=rng.randrange(1 << 30), timeout=args.op_timeout)
                   for w in range(args.clients)]
        t0 = time.monotonic()
        for w in workers:
            w.start()
        nemesis = Nemesis(cluster, kind, seed=rng.randrange(1 << 30),
                          fault=(args.fault_min, args.fault_max),
                          quiet=(args.quiet_min, args.quiet_max), log=verbose_log)
        nemesis.start()
        time.sleep(args.duration)
        nemesis.stop()  # heals, resumes, restarts
        result["fault_cycles"] = nemesis.cycles
        # Every node the nemesis did not kill must still run: a crash is a server bug.
        crashed = [n.index for n in cluster.nodes if not n.alive()]
        try:
            cluster.wait_healthy(timeout=args.recover_timeout)
            recovered = True
        except TimeoutError:
            recovered = False
        # Keep the clients going a little on the healed cluster: lost writes show up in reads.
        time.sleep(args.tail)
        stop.set()
        for w in workers:
            w.join(timeout=30)
        result["duration"] = time.monotonic() - t0
        finals = final_reads(cluster, history, keys) if recovered else {}

        ok_ops, failed, unknown = history.counts()
        result.update(ok=ok_ops, failed=failed, unknown=unknown,
                      unexpected_errors=dict(history.unexpected))
        problems = []
        verdict = True
        if crashed:
            verdict = "error"
            problems.append(f"nodes {crashed} exited on their own (see their server.log)")
        if not recovered:
            verdict = False
            problems.append(f"the cluster did not recover within {args.recover_timeout}s of "
                            f"healing")
        t_check = time.monotonic()
        if "register" in args.workloads and recovered:
            good, info = check_registers(history.ops, max_steps=args.max_steps)
            if good is not True:
                problems += [f"register {k}: {v}" for k, v in info.items()
                             if not v.endswith("linearized")]
                verdict = False if good is False or verdict is False else None
        if "append" in args.workloads and recovered:
            by_key = {}
            for op in history.ops:
                if op["f"] == "append":
                    by_key.setdefault(op["key"], []).append(op)
            for key, ops in sorted(by_key.items()):
                good, found = check_append_history(ops, finals.get(key, []))
                if not good:
                    verdict = False
                    problems += [f"list {key}: {p}" for p in found]
        result["check_seconds"] = time.monotonic() - t_check
        for f in sorted({o["f"] for o in history.ops}):
            acked = sum(1 for o in history.ops if o["f"] == f and o["ok"] is True)
            if acked < args.min_ok:
                problems.append(f"too few acknowledged {f} operations ({acked}): the run "
                                f"proves little")
                if verdict is True:
                    verdict = "stalled"
        result["verdict"] = verdict
        result["problems"] = problems
    except Exception as e:
        result.update(verdict="error", problems=[f"{type(e).__name__}: {e}"])
        if nemesis is not None and nemesis.is_alive():
            nemesis.stop_event.set()
    finally:
        expected = (result.get("verdict") is False) if args.expect_violation else (
            result.get("verdict") is True)
        result["expected"] = expected
        if not expected or keep:
            keep = True
            cluster.keep = True
            try:
                with open(os.path.join(cluster.workdir, "history.json"), "w") as f:
                    json.dump({"result": result, "ops": history.ops,
                               "nemesis": nemesis.events if nemesis else []}, f, default=str)
            except OSError:
                pass
        cluster.stop()
        if not keep:
            result["dir"] = None
    return result


def describe(verdict):
    return {True: "valid", False: "VIOLATION", None: "undecided", "stalled": "STALLED",
            "error": "ERROR"}[verdict]


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--nemesis", default="all",
                   help=f"comma-separated, from {', '.join(ALL)}; 'all' = each in turn")
    p.add_argument("--duration", type=float, default=20, help="seconds of faults per nemesis")
    p.add_argument("--nodes", type=int, default=3)
    p.add_argument("--clients", type=int, default=6)
    p.add_argument("--workload", default="register,append")
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--break", dest="test_break", choices=["stale-reads", "early-ack"],
                   help="start the nodes with --raft-test-break (deliberately unsafe)")
    p.add_argument("--expect-violation", action="store_true",
                   help="succeed only if the checker finds a violation")
    p.add_argument("--attempts", type=int, default=3,
                   help="with --expect-violation: fresh runs allowed to find the violation")
    p.add_argument("--bin", default=DEFAULT_BIN)
    p.add_argument("--election-ms", type=int, default=300)
    p.add_argument("--server-arg", action="append", default=[],
                   help="an extra zakros argument for every node, repeatable (e.g. "
                        "--server-arg=--raft-log-max-bytes --server-arg=1mb: snapshots under faults)")
    p.add_argument("--heartbeat-ms", type=int, default=30)
    p.add_argument("--op-timeout", type=float, default=1.0)
    p.add_argument("--fault-min", type=float, default=2.0)
    p.add_argument("--fault-max", type=float, default=5.0)
    p.add_argument("--quiet-min", type=float, default=1.5)
    p.add_argument("--quiet-max", type=float, default=3.0)
    p.add_argument("--key-period", type=float, default=10.0,
                   help="seconds before the workload moves to new keys")
    p.add_argument("--tail", type=float, default=2.0,
                   help="seconds of client load after healing")
    p.add_argument("--recover-timeout", type=float, default=60.0)
    p.add_argument("--max-steps", type=int, default=5_000_000)
    p.add_argument("--min-ok", type=int, default=10)
    p.add_argument("--no-proxies", action="store_true",
                   help="nodes talk directly (kill and pause only)")
    p.add_argument("--keep", action="store_true", help="keep every run's directory")
    p.add_argument("-v", "--verbose", action="store_true", help="print the nemesis's actions")
    args = p.parse_args(argv)
    args.workloads = [w.strip() for w in args.workload.split(",") if w.strip()]
    kinds = ALL if args.nemesis == "all" else args.nemesis.split(",")
    for k in kinds:
        if k not in ALL:
            p.error(f"unknown nemesis {k}")
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)

    print(f"zakros fault runs: {args.nodes} nodes, {args.clients} clients, "
          f"workloads {'+'.join(args.workloads)}, seed {seed}"
          + (f", BROKEN: --raft-test-break {args.test_break}" if args.test_break else ""),
          flush=True)
    header = f"{'nemesis':<18} {'duration':>9} {'cycles':>6} {'ok':>7} {'failed':>7} " \
             f"{'unknown':>7}  result"
    print(header, flush=True)
    all_expected = True
    for i, kind in enumerate(kinds):
        # A broken server is caught only when the nemesis's timing lets a lost write or a stale
        # read be observed, which a short run may miss; so a run that must find a violation gets
        # up to --attempts fresh clusters (a correct run is never retried).
        attempts = args.attempts if args.expect_violation else 1
        for attempt in range(attempts):
            r = run_one(args, kind, seed + i + 1000 * attempt)
            line = (f"{kind:<18} {r.get('duration', 0):>8.1f}s {r.get('fault_cycles', 0):>6} "
                    f"{r.get('ok', 0):>7} {r.get('failed', 0):>7} {r.get('unknown', 0):>7}  "
                    f"{describe(r['verdict'])}")
            if args.expect_violation:
                line += " (expected)" if r["expected"] else " (a violation was expected)"
            print(line, flush=True)
            for problem in r["problems"][:8]:
                print(f"    {problem}", flush=True)
            if r.get("unexpected_errors"):
                print(f"    unexpected error replies: {r['unexpected_errors']}", flush=True)
            if r["dir"]:
                print(f"    kept: {r['dir']} (seed {r['seed']})", flush=True)
            if r["expected"] or r.get("verdict") == "error":
                break
        all_expected &= r["expected"]
    return 0 if all_expected else 1


if __name__ == "__main__":
    sys.exit(main())
