"""Client workers for the fault tests and the history they record.

Each worker is a thread with its own connections (one per node, to the nodes' real ports; see
cluster.py for why clients are never partitioned). It runs operations back to back and records
every one of them with its start and end time (time.monotonic()) and its outcome:

  ok True    the server answered with the operation's result
  ok False   it certainly did not happen: connecting failed, -MOVED / -CLUSTERDOWN / -TRYAGAIN
             (the design promises these mean "not proposed"), an EXEC that was aborted
             (nil: a WATCHed key changed; -EXECABORT: a queued command was refused)
  ok None    its fate is unknown: timeout, connection lost after sending, -UNCERTAIN, or any
             other error reply (treated as unknown, which is conservative for the checker:
             an unknown operation may or may not have happened)

Routing: an operation starts at the worker's last known leader, or, one time in three, at a
random node (so that a node serving reads it should not serve is noticed). -MOVED is
followed to the named node (up to three hops, all inside the one operation: -MOVED means
nothing happened). After -CLUSTERDOWN, a refused connection or a timeout the worker moves to a
random node and pauses a little.

Workloads:
  register  SET k v (v unique), GET k, and compare-and-set: WATCH k + GET k, then
            MULTI / SET k v' / EXEC. The GET is recorded as a read; the EXEC as a cas
            (read value -> v') that succeeded (EXEC returned [OK]), failed (nil) or is unknown.
  append    MULTI / RPUSH k e (e unique) / LRANGE k 0 -1 / EXEC; the LRANGE result is an
            observation of the list right after the append.
Keys rotate every `key_period` seconds (new names), which bounds the length of each key's
history and so the checker's search.
"""

import random
import threading
import time

from cluster import HOST
from resp import Connection, Error, Indeterminate, NotSent

DEFINITE_ERRORS = ("MOVED", "CLUSTERDOWN", "TRYAGAIN", "EXECABORT")


class History:
    """Thread-safe list of operation records (dicts)."""

    def __init__(self):
        self.ops = []
        self.lock = threading.Lock()
        self.unexpected = {}  # error text -> count (for the report)

    def add(self, op):
        with self.lock:
            self.ops.append(op)

    def note_unexpected(self, text):
        with self.lock:
            key = text[:80]
            self.unexpected[key] = self.unexpected.get(key, 0) + 1

    def counts(self):
        ok = sum(1 for o in self.ops if o["ok"] is True)
        failed = sum(1 for o in self.ops if o["ok"] is False)
        unknown = sum(1 for o in self.ops if o["ok"] is None)
        return ok, failed, unknown


class KeySpace:
    """Key names by generation: the generation advances every `period` seconds."""

    def __init__(self, period, registers=3, lists=2, tag="f"):
        self.period = period
        self.registers = registers
        self.lists = lists
        self.t0 = time.monotonic()
        self.tag = tag
        self.used_lists = set()
        self.lock = threading.Lock()

    def generation(self):
        return int((time.monotonic() - self.t0) / self.period) if self.period else 0

    def register(self, rng):
        return f"{self.tag}:r{self.generation()}:{rng.randrange(self.registers)}"

    def list(self, rng):
        key = f"{self.tag}:l{self.generation()}:{rng.randrange(self.lists)}"
        with self.lock:
            self.used_lists.add(key)
        return key


class Outcome(Exception):
    def __init__(self, ok, error):
        super().__init__(error)
        self.ok = ok
        self.error = error


class Worker(threading.Thread):
    def __init__(self, wid, cluster, history, keys, workloads, stop, seed, timeout=1.0,
                 think=0.002):
        super().__init__(name=f"worker-{wid}", daemon=True)
        self.wid = wid
        self.cluster = cluster
        self.history = history
        self.keys = keys
        self.workloads = workloads
        self.stop_event = stop
        self.rng = random.Random(seed)
        self.timeout = timeout
        self.think = think
        self.conns = {}
        self.node = wid % cluster.n
        self.seq = 0

    # ---- connections and routing ----

    def conn(self, node):
        c = self.conns.get(node)
        if c is None:
            c = Connection(HOST, self.cluster.nodes[node].port, self.timeout)
            self.conns[node] = c
        return c

    def unique(self):
        self.seq += 1
        return f"{self.wid}-{self.seq}"

    def start_node(self):
        if self.rng.random() < 1 / 3:
            return self.rng.randrange(self.cluster.n)
        return self.node

    def wander(self):
        """After an error that says nothing about the leader: try another node next time."""
        self.node = self.rng.randrange(self.cluster.n)
        time.sleep(0.02 + self.rng.random() * 0.03)

    def send(self, node, commands, route=0):
        """Sends `commands` to `node`, following MOVED from the reply to commands[route]. Returns
        (node, replies). Raises Outcome(False) when it certainly did not happen and
        Outcome(None) when its fate is unknown."""
        for _ in range(4):
            try:
                replies = self.conn(node).call(*commands)
            except NotSent as e:
                self.wander()
                raise Outcome(False, str(e)) from None
            except Indeterminate as e:
                self.wander()
                raise Outcome(None, str(e)) from None
            first = replies[route]
            if isinstance(first, Error) and first.kind == "MOVED":
                target = self.cluster.node_of_address(first.split()[2])
                if target is None:
                    raise Outcome(False, f"MOVED to an unknown address: {first}")
                node = self.node = target
                continue
            return node, replies
        raise Outcome(False, "too many redirects")

    def classify_error(self, err):
        if err.kind in DEFINITE_ERRORS:
            if err.kind != "EXECABORT":
                self.wander()
            raise Outcome(False, err)
        if err.kind != "UNCERTAIN":
            self.history.note_unexpected(err)
        raise Outcome(None, err)

    # ---- operations ----

    def run(self):
        while not self.stop_event.is_set():
            kind = self.rng.choice(self.workloads)
            if kind == "register":
                r = self.rng.random()
                if r < 0.45:
                    self.op_read()
                elif r < 0.8:
                    self.op_write()
                else:
                    self.op_cas()
            else:
                self.op_append()
            if self.think:
                time.sleep(self.think)
        for c in self.conns.values():
            c.close()

    def record(self, f, key, value, start, fn):
        """Runs fn() -> value or raises Outcome, and records the operation."""
        op = {"process": self.wid, "f": f, "key": key, "value": value, "start": start,
              "end": None, "ok": None}
        try:
            result = fn()
            op["end"] = time.monotonic()
            op["ok"] = True
            if result is not None:
                op.update(result)
        except Outcome as o:
            if o.ok is False:
                op["end"] = time.monotonic()
            op["ok"] = o.ok
            op["error"] = str(o.error)
        self.history.add(op)
        return op

    def op_read(self, key=None, node=None):
        key = key or self.keys.register(self.rng)

        def go():
            _, (reply,) = self.send(self.start_node() if node is None else node, [["GET", key]])
            if isinstance(reply, Error):
                self.classify_error(reply)
            return {"value": reply}
        return self.record("read", key, None, time.monotonic(), go)

    def op_write(self):
        key = self.keys.register(self.rng)
        value = self.unique()

        def go():
            _, (reply,) = self.send(self.start_node(), [["SET", key, value]])
            if isinstance(reply, Error):
                self.classify_error(reply)
            if reply != "OK":
                raise Outcome(None, f"unexpected reply {reply!r}")
        self.record("write", key, value, time.monotonic(), go)

    def op_cas(self):
        key = self.keys.register(self.rng)
        start = time.monotonic()
        read = {}

        def watch_and_get():
            # UNWATCH drops what a redirected attempt may have left on this connection; the
            # first GET only routes (MOVED); the one after WATCH is the read that counts.
            node, (_, _, w, reply) = self.send(
                self.start_node(), [["UNWATCH"], ["GET", key], ["WATCH", key], ["GET", key]],
                route=1)
            if isinstance(w, Error):
                self.classify_error(w)
            if isinstance(reply, Error):
                self.classify_error(reply)
            read["node"] = node
            return {"value": reply}
        op = self.record("read", key, None, start, watch_and_get)
        if op["ok"] is not True:
            return
        node = read["node"]
        expected, new = op["value"], self.unique()

        def exec_():
            try:
                replies = self.conn(node).call(["MULTI"], ["SET", key, new], ["EXEC"])
            except NotSent as e:
                raise Outcome(False, str(e)) from None
            except Indeterminate as e:
                self.wander()
                raise Outcome(None, str(e)) from None
            result = replies[2]
            if result is None:
                raise Outcome(False, "EXEC aborted (watched key changed)")
            if isinstance(result, Error):
                self.classify_error(result)
            if not isinstance(result, list) or result[0] != "OK":
                raise Outcome(None, f"unexpected EXEC reply {result!r}")
        self.record("cas", key, (expected, new), time.monotonic(), exec_)

    def op_append(self):
        key = self.keys.list(self.rng)
        element = self.unique()

        def go():
            # LLEN only routes (MOVED), so the transaction goes straight to the leader;
            # UNWATCH drops a WATCH a redirected compare-and-set may have left here.
            _, replies = self.send(self.start_node(), [["UNWATCH"], ["LLEN", key], ["MULTI"],
                                                       ["RPUSH", key, element],
                                                       ["LRANGE", key, "0", "-1"], ["EXEC"]],
                                   route=1)
            result = replies[5]
            if result is None:
                raise Outcome(False, "EXEC aborted")
            if isinstance(result, Error):
                self.classify_error(result)
            if not isinstance(result, list) or len(result) != 2 or not isinstance(result[1], list):
                raise Outcome(None, f"unexpected EXEC reply {result!r}")
            return {"observed": result[1]}
        self.record("append", key, element, time.monotonic(), go)


def final_reads(cluster, history, keys, timeout=60):
    """After healing: reads every register key of the last generations and every list on the
    leader (retrying until they succeed). Registers go into the history as reads; returns
    {list key: final list}."""
    registers = sorted({o["key"] for o in history.ops if o["f"] in ("read", "write", "cas")})
    finals = {}
    deadline = time.monotonic() + timeout
    pending = [("reg", k) for k in registers] + [("list", k) for k in sorted(keys.used_lists)]
    leader = None
    while pending:
        if time.monotonic() > deadline:
            raise TimeoutError(f"final reads did not finish: {len(pending)} left")
        if leader is None:
            leader = cluster.leader()
            if leader is None:
                time.sleep(0.1)
                continue
        kind, key = pending[0]
        c = Connection(HOST, cluster.nodes[leader].port, 5.0)
        start = time.monotonic()
        try:
            cmd = ["GET", key] if kind == "reg" else ["LRANGE", key, "0", "-1"]
            (reply,) = c.call(cmd)
        except (NotSent, Indeterminate):
            leader = None
            continue
        finally:
            c.close()
        if isinstance(reply, Error):
            leader = None
            time.sleep(0.05)
            continue
        if kind == "reg":
            history.add({"process": "final", "f": "read", "key": key, "value": reply,
                         "start": start, "end": time.monotonic(), "ok": True})
        else:
            finals[key] = reply
        pending.pop(0)
    return finals
