#!/usr/bin/python3
"""Differential test: random command sequences sent to zakros and to redis-server side by side.

Starts zakros (--raft-enabled no) and Debian's redis-server (--save '' --appendonly no) on free
loopback ports. For every seed: FLUSHALL, a per-seed configuration (default encodings or tiny
listpack/intset thresholds, RESP2 or RESP3), then --ops commands from gen.Generator(seed), each
sent to both servers; the replies are compared as raw RESP bytes, and where they differ
compare.Checker decides whether Redis's contract allows the difference (no defined order, random
replies, time values). Raw sockets rather than redis-py: redis-py's parser hides RESP details
(status vs bulk replies, nil array vs empty array, RESP3 doubles and maps, the exact error text
framing) that a client of zakros would see.

After a mismatch, a random reply that changed the state (SPOP), or a command zakros does not know
("ERR unknown command": the group is reported as not implemented, not as failing) both servers
are resynchronised by deleting the command's keys on both, so one bug does not cascade; these
DELs are part of the recorded sequence.

Every mismatch is reproducible: the literal commands sent since the seed's FLUSHALL are kept;
for the first --examples mismatches per group the sequence is cut down to the commands that touch
the same keys and then shrunk (delta debugging) while the last command still mismatches.

Output: per group, commands sent, matched, allowed (allowlist.txt), mismatched, not implemented,
match rate; then the examples (seed, minimal sequence, expected vs actual bytes). --findings DIR
writes them to DIR/<group>.md as well. Exit status 1 if any group has a mismatch that the
allowlist does not cover, or a --require'd group has an unknown command.

Usage:
  tests/differential/run.py --seeds 1-200 --ops 2000            # a long run
  tests/differential/run.py --seeds 7 --ops 300 --groups lists  # one group, one seed
  tests/differential/run.py --seeds 1-20 --ops 500 --require strings,keyspace --no-minimize
"""

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import compare  # noqa: E402
import gen  # noqa: E402
from resp import Closed, Conn  # noqa: E402

REPO = HERE.parents[1]

# Encoding thresholds set on both servers at the start of every seed (so a seed is
# self-contained). Variant 1 makes the small keyspace cross every conversion.
DEFAULT_CONFIG = [("hash-max-listpack-entries", "128"), ("hash-max-listpack-value", "64"),
                  ("set-max-intset-entries", "512"), ("zset-max-listpack-entries", "128"),
                  ("zset-max-listpack-value", "64"), ("list-max-listpack-size", "-2"),
                  ("stream-node-max-entries", "100"), ("hll-sparse-max-bytes", "3000")]
SMALL_CONFIG = [("hash-max-listpack-entries", "4"), ("hash-max-listpack-value", "8"),
                ("set-max-intset-entries", "4"), ("zset-max-listpack-entries", "4"),
                ("zset-max-listpack-value", "8"), ("list-max-listpack-size", "4"),
                ("stream-node-max-entries", "4"), ("hll-sparse-max-bytes", "100")]
CONFIG_GROUP = {"hash": "hashes", "set": "sets", "zset": "zsets", "list": "lists",
                "stream": "streams", "hll": "hll"}


def seed_setup(seed):
    """The setup commands of a seed: config variant by seed % 3, RESP3 when seed % 4 == 3."""
    cfg = SMALL_CONFIG if seed % 3 == 1 else DEFAULT_CONFIG
    cmds = [gen.Cmd(CONFIG_GROUP[p.split("-")[0]], ["CONFIG", "SET", p, v]) for p, v in cfg]
    return cmds, seed % 4 == 3


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One server process started by this script; stop() ends exactly that process."""

    def __init__(self, kind, binary, workdir):
        self.kind, self.binary, self.workdir = kind, binary, Path(workdir)
        self.proc = None
        self.port = None

    def start(self):
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.log_path = self.workdir / "server.log"
        if self.kind == "zakros":
            args = [self.binary, "--port", "0", "--bind", "127.0.0.1", "--raft-enabled", "no",
                    "--dir", str(self.workdir)]
            self.port = None
        else:
            self.port = free_port()
            args = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                    "--appendonly", "no", "--dir", str(self.workdir)]
        self.logf = open(self.log_path, "ab")
        self.proc = subprocess.Popen(args, stdout=self.logf, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, cwd=self.workdir)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"{self.kind} exited during start:\n{self.log_tail()}")
            if self.port is None:
                m = re.findall(rb"Listening on \S+:(\d+)", self.log_path.read_bytes())
                if m:
                    self.port = int(m[-1])
            if self.port is not None:
                try:
                    c = Conn(self.port, timeout=2)
                    ok = c.call(["PING"])[1] == ("+", b"PONG")
                    c.close()
                    if ok:
                        return self
                except (OSError, Closed):
                    pass
            time.sleep(0.05)
        self.stop()
        raise SystemExit(f"{self.kind} did not start:\n{self.log_tail()}")

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def log_tail(self):
        try:
            return self.log_path.read_text(errors="replace")[-3000:]
        except OSError:
            return ""

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc is not None:
            self.logf.close()
        self.proc = None


class Probe:
    """Side connections (RESP2) used to look at state without being part of the sequence."""

    def __init__(self, zport, rport):
        self.z = Conn(zport)
        self.r = Conn(rport)

    def close(self):
        self.z.close()
        self.r.close()

    def zakros_call(self, args):
        return self.z.call(args)

    def redis_call(self, args):
        return self.r.call(args)

    def contents(self, call, key):
        """An order-free canonical form of a key's value, for comparing across servers."""
        t = call(["TYPE", key])[1][1]
        if t == b"string":
            return (t, call(["GET", key])[1])
        if t == b"list":
            return (t, call(["LRANGE", key, "0", "-1"])[1])
        if t == b"hash":
            v = call(["HGETALL", key])[1]
            return (t, compare.multiset(v[1], 2))
        if t == b"set":
            return (t, compare.multiset(call(["SMEMBERS", key])[1][1]))
        if t == b"zset":
            return (t, call(["ZRANGE", key, "0", "-1", "WITHSCORES"])[1])
        if t == b"stream":
            return (t, call(["XRANGE", key, "-", "+"])[1],
                    compare.mask_times(call(["XINFO", "STREAM", key, "FULL"])[1]))
        return (t,)

    def pre_state(self, cmd):
        """redis-server's state before a command whose reply is random (see compare.py)."""
        name = cmd.name
        if name == "RANDOMKEY":
            v = self.r.call(["KEYS", "*"])[1]
            return {"keys": {e[1] for e in v[1]}}
        key = cmd.args[1] if len(cmd.args) > 1 else b""
        if name == "ZRANGESTORE":
            key = cmd.args[2] if len(cmd.args) > 2 else b""
        t = self.r.call(["TYPE", key])[1][1].decode()
        pre = {"type": t}
        if compare.is_lex(cmd.args) and t == "zset":
            flat = self.r.call(["ZRANGE", key, "0", "-1", "WITHSCORES"])[1][1]
            pre["mixed_scores"] = len({flat[i][1] for i in range(1, len(flat), 2)}) > 1
        if name in ("SPOP", "SRANDMEMBER"):
            pre["members"] = ({e[1]: None for e in self.r.call(["SMEMBERS", key])[1][1]}
                              if t in ("set", "none") else None)
        elif name == "HRANDFIELD" and t in ("hash", "none"):
            flat = self.r.call(["HGETALL", key])[1][1]
            pre["members"] = {flat[i][1]: flat[i + 1][1] for i in range(0, len(flat), 2)}
        elif name == "ZRANDMEMBER" and t in ("zset", "none"):
            flat = self.r.call(["ZRANGE", key, "0", "-1", "WITHSCORES"])[1][1]
            pre["members"] = {flat[i][1]: flat[i + 1][1] for i in range(0, len(flat), 2)}
        return pre


class Allowlist:
    """allowlist.txt: `command regex || zakros reply regex (optional) || reason` per line."""

    def __init__(self, path):
        self.entries = []
        if path and Path(path).exists():
            for n, line in enumerate(Path(path).read_text().splitlines(), 1):
                line = line.strip()
                if not line or line.startswith("#"):
                    continue
                parts = [p.strip() for p in line.split("||")]
                if len(parts) == 2:
                    parts = [parts[0], "", parts[1]]
                if len(parts) != 3 or not parts[2]:
                    raise SystemExit(f"{path}:{n}: want 'cmd regex || [reply regex ||] reason'")
                self.entries.append((re.compile(parts[0]), re.compile(parts[1].encode()
                                                                       if parts[1] else b""),
                                     parts[2]))

    def match(self, rendered, zraw):
        for cre, rre, reason in self.entries:
            if cre.search(rendered) and rre.search(zraw):
                return reason
        return None


class Outcome:
    __slots__ = ("kind", "zraw", "rraw", "note", "pre")

    def __init__(self, kind, zraw=b"", rraw=b"", note="", pre=None):
        self.kind, self.zraw, self.rraw, self.note, self.pre = kind, zraw, rraw, note, pre


class Session:
    """One seed's connections to both servers (and the probe)."""

    def __init__(self, zs, rs, resp3):
        self.zs, self.rs = zs, rs
        # Generous timeouts: PFSELFTEST takes seconds on a loaded machine.
        self.z = Conn(zs.port, timeout=60)
        self.r = Conn(rs.port, timeout=60)
        self.probe = Probe(zs.port, rs.port)
        self.checker = compare.Checker(self.probe)
        for c in (self.probe.z, self.probe.r):
            c.call(["FLUSHALL"])
        if resp3:
            self.z.call(["HELLO", "3"])
            self.r.call(["HELLO", "3"])

    def close(self):
        self.z.close()
        self.r.close()
        self.probe.close()

    def execute(self, cmd, allow):
        """Sends cmd to both servers; returns an Outcome (match/allowed/mismatch/unimpl/crash)."""
        pre = None
        if cmd.name in compare.PRE_PROBE:
            pre = self.probe.pre_state(cmd)
        try:
            self.z.send(cmd.args)
        except Closed as e:
            return Outcome("crash", note=f"zakros: {e}")
        self.r.send(cmd.args)
        rraw, rv = self.r.read()
        try:
            zraw, zv = self.z.read()
        except Closed as e:
            return Outcome("crash", b"", rraw, f"zakros: {e}" + ("" if self.zs.alive()
                                                                 else " (process died)"))
        if zraw == rraw:
            return Outcome("match", zraw, rraw, pre=pre)
        if compare.is_unknown_command(zv) and not compare.is_unknown_command(rv):
            return Outcome("unimpl", zraw, rraw, cmd.name)
        ok, note = self.checker.check(cmd.args, zv, rv, pre)
        if ok:
            return Outcome("equiv", zraw, rraw, note, pre)
        reason = allow.match(gen.fmt_args(cmd.args), zraw) if allow else None
        if reason:
            return Outcome("allowed", zraw, rraw, reason)
        return Outcome("mismatch", zraw, rraw, note)

    def resync(self, cmd):
        """Sends a resynchronising command (see resync_command) to both servers."""
        if cmd is not None:
            self.z.call(cmd.args)
            self.r.call(cmd.args)
        return cmd


def needs_resync(cmd, out):
    if out.kind in ("mismatch", "unimpl", "allowed"):
        return True
    if out.kind == "equiv" and cmd.name == "SPOP" and out.zraw != out.rraw:
        return True
    if out.kind == "equiv" and out.note == compare.LEX_NOTE:
        return True  # ZREMRANGEBYLEX / ZRANGESTORE BYLEX may have changed the state differently
    if cmd.name == "SORT" and compare.undefined_sort_order(cmd.args, out.pre):
        return True  # the stored list's order is undefined
    return False


def resync_command(cmd):
    """What makes both servers agree again after cmd diverged: DEL of every argument that may
    be a key (any argument: a malformed command may have turned a number into a key name, and
    deleting a key that is absent on both is harmless), or FLUSHALL when other databases are
    involved."""
    if cmd.name in ("FLUSHDB", "FLUSHALL", "SWAPDB", "MOVE", "COPY"):
        return gen.Cmd("resync", ["FLUSHALL"])
    if cmd.name == "SORT":
        up = [a.upper() for a in cmd.args]
        if b"STORE" in up[:-1]:
            return gen.Cmd("resync", ["DEL", cmd.args[up.index(b"STORE") + 1]])
    args = list(dict.fromkeys(cmd.args[1:]))
    return gen.Cmd("resync", ["DEL"] + args) if args else None


class Runner:
    def __init__(self, opts):
        self.opts = opts
        self.allow = Allowlist(opts.allowlist)
        self.work = Path(tempfile.mkdtemp(prefix="zakros-diff."))
        self.zs = Server("redis" if opts.self_test else "zakros", opts.zakros,
                         self.work / "zakros")
        self.rs = Server("redis", opts.redis_server, self.work / "redis")
        self.stats = defaultdict(lambda: defaultdict(int))
        self.unknown = defaultdict(set)
        self.notes = defaultdict(lambda: defaultdict(int))
        self.examples = defaultdict(list)  # group -> [dict]
        self.seen_sigs = set()

    def start(self):
        self.zs.start()
        self.rs.start()

    def stop(self):
        self.zs.stop()
        self.rs.stop()
        shutil.rmtree(self.work, ignore_errors=True)

    def ensure_zakros(self):
        if not self.zs.alive():
            log("zakros died; restarting it")
            self.zs.stop()
            self.zs.start()

    # ---- one seed --------------------------------------------------------------------------
    def run_seed(self, seed):
        setup, resp3 = seed_setup(seed)
        self.ensure_zakros()
        s = Session(self.zs, self.rs, resp3)
        seq = []  # every command sent, in order
        cmd = None
        try:
            g = gen.Generator(seed, probe=s.probe.r, groups=self.opts.groups)
            stream = list(setup)
            for i in range(len(setup) + self.opts.ops):
                cmd = stream[i] if i < len(setup) else g.next()
                out = s.execute(cmd, self.allow)
                seq.append(cmd)
                self.account(seed, resp3, cmd, out, seq)
                if out.kind == "crash":
                    return
                if needs_resync(cmd, out):
                    r = s.resync(resync_command(cmd))
                    if r is not None:
                        seq.append(r)
        except Closed as e:
            log(f"seed {seed}: redis-server connection problem: {e} (last command: {cmd!r})")
        finally:
            s.close()

    def account(self, seed, resp3, cmd, out, seq):
        st = self.stats[cmd.group]
        st["sent"] += 1
        st[out.kind] += 1
        if out.kind == "unimpl":
            self.unknown[cmd.group].add(out.note)
        if out.kind in ("equiv", "allowed"):
            self.notes[cmd.group][out.note] += 1
        if out.kind in ("mismatch", "crash"):
            # One example per distinct (command, reply pair) shape, so that one root cause
            # does not hide the others.
            sig = (cmd.group, cmd.name, out.zraw[:24], out.rraw[:24])
            ex = self.examples[cmd.group]
            if len(ex) < self.opts.examples and sig not in self.seen_sigs:
                self.seen_sigs.add(sig)
                ex.append({"seed": seed, "resp3": resp3, "cmd": cmd, "out": out,
                           "seq": list(seq), "index": len(seq) - 1})

    # ---- replay and minimisation ------------------------------------------------------------
    def replay(self, seq, resp3):
        """Runs seq on fresh state; returns the Outcome of its last command. The commands before
        the last are pipelined (their replies read and dropped): only the last is compared, and
        a minimisation makes dozens of replays."""
        self.ensure_zakros()
        s = Session(self.zs, self.rs, resp3)
        try:
            prefix = seq[:-1]
            for start in range(0, len(prefix), 100):
                batch = prefix[start:start + 100]
                for conn in (s.z, s.r):
                    conn.sock.sendall(b"".join(Conn.encode(c.args) for c in batch))
                for conn in (s.z, s.r):
                    for _ in batch:
                        conn.read()
            return s.execute(seq[-1], None) if seq else None
        except (Closed, OSError) as e:
            return Outcome("crash", note=f"connection lost during replay: {e}")
        finally:
            s.close()

    def minimize(self, ex, budget):
        seq, resp3 = ex["seq"], ex["resp3"]
        target = seq[-1]

        def bad(candidate):
            nonlocal budget
            budget -= 1
            out = self.replay(candidate + [target], resp3)
            return out is not None and out.kind in ("mismatch", "crash")

        prefix = seq[:-1]
        # 1. Only commands that touch the target's keys (transitively), plus global ones.
        # Any argument of the target may be a key (a malformed command can make a number one).
        rel = {a.decode("latin-1") for a in target.args[1:]}
        if target.name in ("SORT", "SORT_RO"):
            rel |= set(gen.WEIGHT_KEYS + gen.OBJ_KEYS)
        sliced = []
        for c in reversed(prefix):
            ks = set(c.keys())
            if c.name in ("SORT", "SORT_RO"):
                ks |= set(gen.WEIGHT_KEYS + gen.OBJ_KEYS)
            glob = c.name in ("FLUSHDB", "FLUSHALL", "SWAPDB", "CONFIG", "RANDOMKEY")
            if glob or {a.decode("latin-1") for a in c.args[1:]} & rel:
                sliced.append(c)
                rel |= ks
        sliced.reverse()
        if len(sliced) < len(prefix) and bad(sliced):
            prefix = sliced
        # 2. Delta debugging: drop chunks while the target still mismatches.
        n = 2
        while len(prefix) >= 1 and budget > 0:
            size = max(1, len(prefix) // n)
            removed = False
            for start in range(0, len(prefix), size):
                if budget <= 0:
                    break
                cand = prefix[:start] + prefix[start + size:]
                if bad(cand):
                    prefix = cand
                    removed = True
                    n = max(n - 1, 2)
                    break
            if not removed:
                if size == 1:
                    break
                n = min(len(prefix), n * 2)
        final = self.replay(prefix + [target], resp3)
        return prefix + [target], final

    # ---- report ------------------------------------------------------------------------------
    def report(self):
        groups = [g for g in gen.GROUPS if g in self.stats]
        rows = []
        failed = []
        for g in groups:
            st = self.stats[g]
            judged = st["sent"] - st["unimpl"]
            ok = st["match"] + st["equiv"]
            rate = f"{100.0 * ok / judged:.2f}%" if judged else "n/a"
            status = "ok"
            if st["mismatch"] or st["crash"]:
                status = "MISMATCH"
                failed.append(g)
            if st["unimpl"]:
                if st["unimpl"] * 2 >= st["sent"]:
                    status = "not implemented" if status == "ok" else status + ", partly unimpl."
                else:
                    status += ", partly unimpl."
                if g in self.opts.require:
                    failed.append(g)
                    status += " (required)"
            rows.append([g, str(st["sent"]), str(ok), str(st["allowed"]), str(st["mismatch"]),
                         str(st["crash"]), str(st["unimpl"]), rate, status])
        header = ["group", "sent", "matched", "allowed", "mismatched", "crashes", "unknown cmd",
                  "match rate", "status"]
        widths = [max(len(x) for x in col) for col in zip(header, *rows)]
        lines = ["  ".join(x.ljust(w) for x, w in zip(r, widths)) for r in [header] + rows]
        print("\n".join(lines))
        for g in groups:
            if self.unknown[g]:
                print(f"  {g}: unknown to zakros: {' '.join(sorted(self.unknown[g]))}")
        if self.opts.verbose:
            for g in groups:
                for note, n in sorted(self.notes[g].items()):
                    print(f"  {g}: {n} accepted by rule: {note}")
        return sorted(set(failed))

    def render_example(self, g, ex, minimized):
        seq, final = minimized if minimized else (ex["seq"], ex["out"])
        out = final if final is not None and final.kind in ("mismatch", "crash") else ex["out"]
        lines = [f"### {ex['cmd'].name} (seed {ex['seed']}, {'RESP3' if ex['resp3'] else 'RESP2'}"
                 f"{', minimized' if minimized else ''})", "",
                 f"Rule: {(out.note[:300] + '...') if len(out.note) > 300 else (out.note or out.kind)}", "", "```"]
        if ex["resp3"]:
            lines.append("HELLO 3")
        lines += [gen.fmt_args(c.args) for c in seq]
        lines += ["```", "", f"- redis:  `{trunc(out.rraw)}`", f"- zakros: `{trunc(out.zraw)}`",
                  ""]
        return "\n".join(lines)


def trunc(b, n=600):
    s = repr(b)
    return s if len(s) <= n else s[:n] + "...(%d bytes)" % len(b)


def parse_seeds(text):
    seeds = []
    for part in text.split(","):
        if "-" in part:
            a, b = part.split("-")
            seeds += range(int(a), int(b) + 1)
        elif part:
            seeds.append(int(part))
    return seeds


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--zakros", default=os.environ.get("ZAKROS_BIN",
                                                         str(REPO / "build" / "zakros")))
    ap.add_argument("--redis-server", default=shutil.which("redis-server") or
                    "/usr/bin/redis-server")
    ap.add_argument("--seeds", default="1-20", help="e.g. 1-200 or 3,7,9")
    ap.add_argument("--ops", type=int, default=1000, help="commands per seed")
    ap.add_argument("--groups", default=",".join(gen.GROUPS),
                    help="groups to generate commands for")
    ap.add_argument("--require", default="",
                    help="groups that must be implemented (an unknown command fails them); "
                         "'all' for every group")
    ap.add_argument("--allowlist", default=str(HERE / "allowlist.txt"))
    ap.add_argument("--examples", type=int, default=3, help="examples kept per group")
    ap.add_argument("--no-minimize", action="store_true")
    ap.add_argument("--budget", type=int, default=60, help="replays per minimisation")
    ap.add_argument("--findings", help="write DIR/<group>.md with the examples")
    ap.add_argument("--verbose", "-v", action="store_true")
    ap.add_argument("--self-test", action="store_true",
                    help="redis-server in both slots: checks the generator and the comparison "
                         "rules (expect 100%% everywhere)")
    opts = ap.parse_args()
    opts.zakros = os.path.abspath(opts.zakros)
    opts.groups = [g for g in opts.groups.split(",") if g]
    for g in opts.groups:
        if g not in gen.GROUPS:
            raise SystemExit(f"unknown group {g}; groups: {','.join(gen.GROUPS)}")
    opts.require = gen.GROUPS if opts.require == "all" else \
        [g for g in opts.require.split(",") if g]
    if opts.self_test:
        opts.zakros = opts.redis_server
    if not os.access(opts.zakros, os.X_OK):
        raise SystemExit(f"zakros binary not found at {opts.zakros}")

    run = Runner(opts)
    t0 = time.monotonic()
    try:
        run.start()
        seeds = parse_seeds(opts.seeds)
        for i, seed in enumerate(seeds):
            run.run_seed(seed)
            if (i + 1) % 10 == 0:
                log(f"{i + 1}/{len(seeds)} seeds, {time.monotonic() - t0:.0f} s")
        print(f"differential: seeds {opts.seeds}, {opts.ops} commands each, "
              f"{time.monotonic() - t0:.0f} s")
        failed = run.report()
        docs = {}
        for g in gen.GROUPS:
            for ex in run.examples.get(g, []):
                mini = None
                if not opts.no_minimize:
                    mini = run.minimize(ex, opts.budget)
                docs.setdefault(g, []).append(run.render_example(g, ex, mini))
        for g, texts in docs.items():
            print(f"\n## {g}\n")
            print("\n".join(texts))
        if opts.findings:
            write_findings(Path(opts.findings), run, docs, opts)
    finally:
        run.stop()
    if failed:
        print(f"\nFAILED groups: {', '.join(failed)}")
        sys.exit(1)
    print("\nall implemented groups match")


def write_findings(d, run, docs, opts):
    d.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    for g in gen.GROUPS:
        st = run.stats.get(g)
        if not st:
            continue
        judged = st["sent"] - st["unimpl"]
        ok = st["match"] + st["equiv"]
        rate = f"{100.0 * ok / judged:.2f}%" if judged else "n/a"
        head = [f"# Differential findings: {g}", "",
                f"Run {stamp}, seeds {opts.seeds}, {opts.ops} commands per seed, binary "
                f"{opts.zakros}. Reproduce one example with "
                "`python3 tests/differential/run.py --seeds N --ops M` or paste the sequence "
                "into redis-cli against both servers (after FLUSHALL).", "",
                f"sent {st['sent']}, matched {ok}, mismatched {st['mismatch']}, crashes "
                f"{st['crash']}, unknown commands {st['unimpl']} "
                f"({' '.join(sorted(run.unknown[g])) or '-'}), match rate {rate}", ""]
        body = docs.get(g) or ["No mismatches."]
        (d / f"{g}.md").write_text("\n".join(head + body) + "\n")


if __name__ == "__main__":
    main()
