"""The nemesis: faults injected into a running cluster (cluster.py), one at a time, in cycles
of `fault` seconds broken and `quiet` seconds healed.

Kinds (NEMESES):
  kill              SIGKILL one node (the leader half of the time), or a minority, or now and
                    then every node; restart them when the fault ends (same data directory)
  pause             SIGSTOP one node (the leader half of the time) or a minority; SIGCONT
  partition-leader  cut the leader off from every other node, both directions
  partition-halves  a random majority / minority split
  partition-bridge  two sides that cannot talk and one node that talks to both
                    (3 nodes: a - b - c; 5 nodes: {a, b} - c - {d, e})
  partition-oneway  one-way link loss: the leader's outgoing links, or its incoming links, or
                    a few random single directions
  mixed             one of the above, chosen at random each cycle
  transfer          RAFT.TRANSFER_LEADER from the leader to a random other node
  membership        RAFT.NODE REMOVE of a node (the leader half of the time), sent to the
                    leader; the node keeps running and is added back (RAFT.NODE ADD, at its own
                    port, so the others then reach it without the proxy) when the fault ends
                    (not part of mixed: it would bypass the partitions' proxies)

Every action is logged with its time so that a violation can be lined up with what the
nemesis did.
"""

import random
import threading
import time

from cluster import HOST
from resp import Connection, Error, Indeterminate, NotSent

NEMESES = ["kill", "pause", "partition-leader", "partition-halves", "partition-bridge",
           "partition-oneway"]
EXTRA_NEMESES = ["transfer", "membership"]


class Nemesis(threading.Thread):
    def __init__(self, cluster, kind, seed, fault=(2.0, 5.0), quiet=(2.0, 4.0), log=print):
        super().__init__(name="nemesis", daemon=True)
        assert kind in NEMESES + EXTRA_NEMESES + ["mixed"], kind
        self.cluster = cluster
        self.kind = kind
        self.rng = random.Random(seed)
        self.fault = fault
        self.quiet = quiet
        self.stop_event = threading.Event()
        self.events = []  # (monotonic time, text)
        self.emit = log
        self.killed = []
        self.paused = []
        self.removed = []
        self.cycles = 0
        self.error = None

    def note(self, text):
        self.events.append((time.monotonic(), text))
        self.emit(f"  nemesis: {text}")

    def sleep(self, span):
        return self.stop_event.wait(self.rng.uniform(*span))

    def run(self):
        try:
            while not self.sleep(self.quiet):
                choices = NEMESES if self.cluster.proxy is not None else ["kill", "pause"]
                kind = self.rng.choice(choices) if self.kind == "mixed" else self.kind
                getattr(self, "start_" + kind.replace("-", "_"))()
                self.cycles += 1
                self.sleep(self.fault)
                self.heal()
        except Exception as e:  # reported by the runner: a nemesis that fails is a test error
            self.error = e
            self.note(f"error: {e!r}")
        finally:
            self.heal()

    def stop(self):
        self.stop_event.set()
        self.join()
        if self.error is not None:
            raise RuntimeError(f"nemesis failed: {self.error!r}")

    # ---- choosing victims ----

    def leader_or_random(self):
        if self.rng.random() < 0.5:
            leader = self.cluster.leader()
            if leader is not None:
                return leader
        return self.rng.randrange(self.cluster.n)

    def minority(self):
        n = self.cluster.n
        size = self.rng.randint(1, (n - 1) // 2)
        first = self.leader_or_random()
        rest = [i for i in range(n) if i != first]
        return [first] + self.rng.sample(rest, size - 1)

    # ---- talking to the nodes ----

    def command(self, index, *args, timeout=5.0):
        """One command to node `index`: its reply, or None if no reply came."""
        c = Connection(HOST, self.cluster.nodes[index].port, timeout)
        try:
            (reply,) = c.call(list(args))
            return reply
        except (NotSent, Indeterminate):
            return None
        finally:
            c.close()

    def on_leader(self, *args, timeout=15.0):
        """Sends to the leader until the reply is final (not TRYAGAIN/CLUSTERDOWN/MOVED/none)."""
        deadline = time.monotonic() + timeout
        reply = None
        while time.monotonic() < deadline:
            leader = self.cluster.leader()
            if leader is not None:
                reply = self.command(leader, *args)
                retry = reply is None or (isinstance(reply, Error) and
                                          reply.startswith(("TRYAGAIN", "CLUSTERDOWN", "MOVED")))
                if not retry:
                    return reply
            time.sleep(0.1)  # back off before retrying
        return reply

    # ---- faults ----

    def start_transfer(self):
        leader = self.cluster.leader()
        if leader is None:
            self.note("transfer: no leader")
            return
        target = self.rng.choice([i for i in range(self.cluster.n) if i != leader])
        reply = self.command(leader, "RAFT.TRANSFER_LEADER", str(target))
        self.note(f"transfer {leader} -> {target}: {reply!r}")

    def start_membership(self):
        victim = self.leader_or_random()
        reply = self.on_leader("RAFT.NODE", "REMOVE", str(victim))
        # Added back at heal even when the outcome is unknown ("already a member" then).
        self.removed = [victim]
        self.note(f"removed node {victim}: {reply!r}")

    def start_kill(self):
        r = self.rng.random()
        if r < 0.15:
            victims = list(range(self.cluster.n))
        elif r < 0.6:
            victims = [self.leader_or_random()]
        else:
            victims = self.minority()
        for v in victims:
            self.cluster.nodes[v].kill()
        self.killed = victims
        self.note(f"killed {victims}")

    def start_pause(self):
        victims = [self.leader_or_random()] if self.rng.random() < 0.6 else self.minority()
        for v in victims:
            self.cluster.nodes[v].pause()
        self.paused = victims
        self.note(f"paused {victims}")

    def start_partition_leader(self):
        leader = self.cluster.leader()
        if leader is None:
            leader = self.rng.randrange(self.cluster.n)
        self.cluster.partition([[leader]])
        self.note(f"isolated leader {leader}")

    def start_partition_halves(self):
        n = self.cluster.n
        nodes = list(range(n))
        self.rng.shuffle(nodes)
        minority = nodes[:self.rng.randint(1, (n - 1) // 2)]
        majority = nodes[len(minority):]
        self.cluster.partition([minority, majority])
        self.note(f"split {sorted(minority)} | {sorted(majority)}")

    def start_partition_bridge(self):
        n = self.cluster.n
        nodes = list(range(n))
        self.rng.shuffle(nodes)
        if self.rng.random() < 0.5:
            # Put the leader on one side, so that it keeps a majority only through the bridge.
            leader = self.cluster.leader()
            if leader is not None:
                nodes.remove(leader)
                nodes.insert(0, leader)
        half = (n - 1) // 2
        left, bridge, right = nodes[:half], nodes[half], nodes[half + 1:]
        for i in left:
            for j in right:
                self.cluster.cut(i, j)
                self.cluster.cut(j, i)
        self.note(f"bridge {sorted(left)} - {bridge} - {sorted(right)}")

    def start_partition_oneway(self):
        n = self.cluster.n
        r = self.rng.random()
        leader = self.cluster.leader()
        if leader is None:
            leader = self.rng.randrange(n)
        if r < 0.35:
            for j in range(n):
                if j != leader:
                    self.cluster.cut(leader, j)
            self.note(f"leader {leader} cannot send")
        elif r < 0.7:
            for j in range(n):
                if j != leader:
                    self.cluster.cut(j, leader)
            self.note(f"leader {leader} cannot receive")
        else:
            links = [(i, j) for i in range(n) for j in range(n) if i != j]
            chosen = self.rng.sample(links, self.rng.randint(1, n))
            for i, j in chosen:
                self.cluster.cut(i, j)
            self.note(f"lost directions {sorted(chosen)}")

    def heal(self):
        """Ends the current fault: heal links, resume paused nodes, restart killed ones."""
        if self.cluster.cut_links:
            self.cluster.heal_all()
            self.note("healed")
        for v in self.paused:
            self.cluster.nodes[v].resume()
        if self.paused:
            self.note(f"resumed {self.paused}")
        self.paused = []
        for v in self.killed:
            node = self.cluster.nodes[v]
            if not node.alive():
                node.start()
        for v in self.killed:
            self.cluster.nodes[v].wait_listening()
        if self.killed:
            self.note(f"restarted {self.killed}")
        self.killed = []
        for v in self.removed:
            reply = self.on_leader("RAFT.NODE", "ADD", str(v),
                                   f"{HOST}:{self.cluster.nodes[v].port}")
            self.note(f"added node {v} back: {reply!r}")
        self.removed = []
