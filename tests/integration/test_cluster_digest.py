"""Every replica of a real 3-node cluster holds the same data (issue 10), checked with DEBUG
DIGEST: a seeded random workload of many write types with PFADD and PFCOUNT interleaved (a
PFCOUNT that refreshes an HLL's cached cardinality changes its bytes, so it must happen on every
replica or on none), a follower killed while the log is compacted past it, brought back by
InstallSnapshot, then made leader by RAFT.TRANSFER_LEADER, more writes; at the end every node,
at the same applied index, reports the same DEBUG DIGEST.

Every node runs in its own directory under tmp_path on a free port and is killed by its PID at
the end. Waits poll a condition until a deadline; nothing sleeps to synchronise.
"""

import random

import pytest

from test_raft import Node, leader_of, nodes  # noqa: F401 (fixture)
from zakros_testlib import HOST, SERVER_KIND, free_port, wait_until

pytestmark = pytest.mark.skipif(SERVER_KIND != "zakros", reason="zakros's own replication")

SEED = 20261208
# The smallest log before a snapshot (raft-log-max-bytes accepts no less): a few thousand
# writes of ~0.5 KB compact the log past a stopped follower.
EXTRA = ["--raft-log-max-bytes", "1mb", "--enable-debug-command", "yes"]


class Workload:
    """Seeded random writes over small key pools, one pool per type.

    Left out on purpose: SPOP and the lex-range removals, which still diverge after a snapshot
    for reasons this test is not about (tests/unit/server/replica_digest_test.cc,
    SnapshotThenCommand, shows both); add them here once those pass.
    """

    def __init__(self, seed):
        self.rng = random.Random(seed)

    def key(self, kind):
        return f"{kind}:{self.rng.randrange(8)}"

    def member(self):
        r = self.rng
        return str(r.randrange(-5, 60)) if r.random() < 0.4 else f"m{r.randrange(60)}"

    def blob(self):
        # ~0.5 KB that LZF cannot shrink, so that the log and snapshots grow with the writes.
        return self.rng.randbytes(250).hex()

    def command(self):
        r = self.rng
        k = r.randrange(20)
        if k == 0:
            return ["SET", self.key("str"), self.blob()]
        if k == 1:
            return ["SET", self.key("str"), str(r.randrange(1000)), "EX", "3600"]
        if k == 2:
            return ["INCRBY", self.key("int"), str(r.randrange(-50, 50))]
        if k == 3:
            return ["APPEND", self.key("str"), self.member()]
        if k == 4:
            return ["RPUSH", self.key("list"), self.blob(), self.member()]
        if k == 5:
            return [r.choice(["LPOP", "RPOP"]), self.key("list")]
        if k == 6:
            return ["HSET", self.key("hash"), self.member(), self.blob()]
        if k == 7:
            return ["HINCRBY", self.key("hash"), self.member(), str(r.randrange(100))]
        if k == 8:
            return ["SADD", self.key("set")] + [self.member() for _ in range(r.randrange(1, 6))]
        if k == 9:
            return ["SREM", self.key("set"), self.member()]
        if k == 10:
            pairs = []
            for _ in range(r.randrange(1, 6)):
                pairs += [str(r.choice([r.randrange(100), r.random() * 100])), self.member()]
            return ["ZADD", self.key("zset")] + pairs
        if k == 11:
            return ["ZINCRBY", self.key("zset"), "1.5", self.member()]
        if k == 12:
            return ["ZREM", self.key("zset"), self.member()]
        if k == 13:
            return ["XADD", self.key("stream"), "MAXLEN", "~", "50", "*", "f", self.blob()]
        if k in (14, 15):
            return ["PFADD", self.key("hll")] + [f"e{r.randrange(100000)}"
                                                 for _ in range(r.randrange(1, 200))]
        if k == 16:
            return ["PFCOUNT", self.key("hll")]
        if k == 17:
            return ["PFMERGE", self.key("hll"), self.key("hll"), self.key("hll")]
        if k == 18:
            return ["EXPIRE", self.key(r.choice(["str", "list", "hash"])), "3600"]
        return ["DEL", self.key(r.choice(["str", "int", "list", "set", "zset", "stream"]))]

    def run(self, client, count):
        """`count` commands in pipelines of 50, one in ten a MULTI/EXEC (one log entry); errors
        (a wrong type) are fine, as for a user."""
        for start in range(0, count, 50):
            pipe = client.pipeline(transaction=self.rng.randrange(10) == 0)
            for _ in range(min(50, count - start)):
                pipe.execute_command(*self.command())
            pipe.execute(raise_on_error=False)


def raft_info(node):
    return node.client().info("raft")


def wait_same_state(nodes, timeout=60):
    """Waits until every node has applied the same index, then returns their digests (taken
    while that index held still)."""
    def settled():
        before = [raft_info(n)["raft_applied_index"] for n in nodes]
        if len(set(before)) != 1:
            return None
        digests = [n.client().execute_command("DEBUG", "DIGEST") for n in nodes]
        after = [raft_info(n)["raft_applied_index"] for n in nodes]
        return (before[0], digests) if after == before else None
    return wait_until(settled, timeout=timeout, what="every node at the same applied index")


def differing_keys(nodes):
    """For the failure message: the keys whose DEBUG DIGEST-VALUE differs between nodes (db 0)."""
    c = nodes[0].client()
    keys = sorted(c.keys("*"))
    digests = []
    for n in nodes:
        r = n.client()
        r.execute_command("READONLY")
        digests.append(r.execute_command("DEBUG", "DIGEST-VALUE", *keys) if keys else [])
    return [k for i, k in enumerate(keys) if len({d[i] for d in digests}) > 1]


def test_equal_digests_after_install_snapshot_and_leader_transfer(tmp_path, nodes):  # noqa: F811
    ports = [free_port() for _ in range(3)]
    addrs = " ".join(f"{HOST}:{p}" for p in ports)
    for i, port in enumerate(ports):
        nodes.append(Node(str(tmp_path / f"n{i}"), port,
                          ["--node-id", str(i), "--cluster-addrs", addrs] + EXTRA))
    for n in nodes:
        n.start()
    work = Workload(SEED)
    leader = leader_of(nodes)
    lc = leader.client()
    work.run(lc, 600)

    # A follower goes away while the log moves on and is compacted past what it has.
    follower = next(n for n in nodes if n is not leader)
    fid = nodes.index(follower)
    wait_until(lambda: raft_info(follower)["raft_applied_index"] >=
               raft_info(leader)["raft_commit_index"], what="the follower to catch up")
    behind = raft_info(follower)["raft_last_index"]
    follower.kill()
    for _ in range(40):  # at most 20,000 writes; ~3,000 usually do
        work.run(lc, 500)
        info = raft_info(leader)
        if info["raft_first_index"] > behind + 1 and info["raft_snapshot_in_progress"] == 0:
            break
    wait_until(lambda: raft_info(leader)["raft_first_index"] > behind + 1 and
               raft_info(leader)["raft_snapshot_in_progress"] == 0,
               timeout=30, what="the leader to compact its log past the stopped follower")

    # Back, it can only catch up by InstallSnapshot.
    follower.start()
    target = raft_info(leader)["raft_commit_index"]
    wait_until(lambda: raft_info(follower)["raft_snapshots_received"] >= 1 and
               raft_info(follower)["raft_applied_index"] >= target,
               timeout=60, what="the follower to install the snapshot and catch up")
    index, digests = wait_same_state(nodes)
    assert len(set(digests)) == 1, (index, digests, differing_keys(nodes))

    # It leads, and the workload (PFCOUNTs included) goes on through it.
    assert lc.execute_command("RAFT.TRANSFER_LEADER", str(fid)) in (b"OK", "OK")
    wait_until(lambda: follower.role() == "leader", what="the transfer to the restarted follower")
    work.run(follower.client(), 1500)

    index, digests = wait_same_state(nodes)
    assert len(set(digests)) == 1, (index, digests, differing_keys(nodes))
    assert digests[0] not in (b"0" * 40, "0" * 40)
