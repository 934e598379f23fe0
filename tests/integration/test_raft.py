"""The replicated server with real processes and real files: the persistent single node under
kill -9, 3-node clusters with redirects and failover, and restarts of every node.

Every server runs in its own directory under pytest's tmp_path and is killed by its PID at the
end (the `nodes` fixture). Waits poll a condition until a deadline; nothing sleeps to
synchronise.
"""

import os
import re
import signal
import subprocess
import time

import pytest
import redis
from redis.cluster import RedisCluster, ClusterNode as PyClusterNode

from zakros_testlib import BIN, HOST, SERVER_KIND, free_port, wait_until

pytestmark = pytest.mark.skipif(SERVER_KIND != "zakros", reason="zakros's own replication")

ELECTION_MS = 300  # short elections keep the failover tests quick


class Node:
    """One zakros process with a fixed port and data directory (kept across restarts)."""

    def __init__(self, workdir, port, extra=()):
        self.workdir = workdir
        self.port = port
        self.extra = list(extra)
        self.proc = None
        os.makedirs(workdir, exist_ok=True)

    def start(self):
        log = open(os.path.join(self.workdir, "server.log"), "ab")
        cmd = [BIN, "--port", str(self.port), "--bind", HOST, "--dir", self.workdir,
               "--raft-election-timeout", str(ELECTION_MS), "--raft-heartbeat-interval", "30"]
        self.proc = subprocess.Popen(cmd + self.extra, stdout=log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, cwd=self.workdir)
        wait_until(self._accepts, timeout=20, what=f"node on port {self.port} to listen")
        return self

    def _accepts(self):
        if self.proc.poll() is not None:
            raise AssertionError(f"node exited with {self.proc.returncode}:\n{self.log()}")
        try:
            redis.Redis(host=HOST, port=self.port, socket_timeout=1).ping()
            return True
        except redis.RedisError:
            return False

    def kill(self, sig=signal.SIGKILL):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(timeout=10)

    def client(self, **kw):
        return redis.Redis(host=HOST, port=self.port, socket_timeout=5, **kw)

    def role(self):
        try:
            info = self.client().info("raft")
        except redis.RedisError:
            return None
        return info.get("raft_role")

    def log(self):
        with open(os.path.join(self.workdir, "server.log"), errors="replace") as f:
            return f.read()[-3000:]


@pytest.fixture
def nodes():
    started = []
    yield started
    for n in started:
        n.kill()


def make_cluster(tmp_path, nodes, count, extra=()):
    ports = [free_port() for _ in range(count)]
    addrs = " ".join(f"{HOST}:{p}" for p in ports)
    for i, port in enumerate(ports):
        n = Node(str(tmp_path / f"n{i}"), port,
                 ["--node-id", str(i), "--cluster-addrs", addrs, *extra])
        nodes.append(n)
    for n in nodes:
        n.start()
    return nodes


def leader_of(nodes, timeout=10.0):
    def find():
        leaders = [n for n in nodes if n.proc.poll() is None and n.role() == "leader"]
        return leaders[0] if len(leaders) == 1 else None
    return wait_until(find, timeout=timeout, what="a single leader")


def test_single_node_keeps_acknowledged_writes_across_kill9(tmp_path, nodes):
    node = Node(str(tmp_path / "single"), free_port())
    nodes.append(node)
    node.start()
    c = node.client()
    wait_until(lambda: c.info("raft").get("raft_role") == "leader", what="leadership")
    for i in range(300):
        assert c.set(f"key:{i}", f"value:{i}")
    for _ in range(50):
        c.incr("counter")
    node.kill()  # SIGKILL: no shutdown code runs
    node.start()
    c = node.client()
    wait_until(lambda: c.get("counter") == b"50", what="the log replayed after restart")
    for i in range(300):
        assert c.get(f"key:{i}") == f"value:{i}".encode()
    assert os.path.isdir(os.path.join(node.workdir, "node-0"))


def test_volatile_node_does_not_persist(tmp_path, nodes):
    node = Node(str(tmp_path / "volatile"), free_port(), ["--raft-enabled", "no"])
    nodes.append(node)
    node.start()
    node.client().set("k", "v")
    node.kill()
    node.start()
    assert node.client().get("k") is None


def test_three_nodes_redirect_replicate_and_fail_over(tmp_path, nodes):
    make_cluster(tmp_path, nodes, 3)
    leader = leader_of(nodes)
    followers = [n for n in nodes if n is not leader]

    # Followers redirect keyed commands to the leader with the key's slot.
    with pytest.raises(redis.ResponseError) as err:
        followers[0].client().set("foo", "bar")
    assert str(err.value) == f"MOVED 12182 {HOST}:{leader.port}"

    # redis-cli -c follows the redirect.
    out = subprocess.run(["redis-cli", "-c", "-p", str(followers[1].port), "SET", "via-cli", "1"],
                         capture_output=True, text=True, timeout=20)
    assert out.stdout.strip() == "OK", out
    assert leader.client().get("via-cli") == b"1"

    # A cluster-aware client routes by CLUSTER SLOTS.
    rc = RedisCluster(startup_nodes=[PyClusterNode(HOST, followers[0].port)],
                      socket_timeout=5)
    acknowledged = {}
    for i in range(200):
        rc.set(f"k{i}", i)
        acknowledged[f"k{i}"] = str(i).encode()
    assert rc.get("k7") == b"7"
    rc.close()

    # Every node applies the log: READONLY reads on a follower see the writes.
    for f in followers:
        c = f.client()
        c.execute_command("READONLY")
        wait_until(lambda: c.get("k199") == b"199", what="replication to a follower")

    # The leader dies: a new one is elected and nothing acknowledged is lost.
    old_port = leader.port
    leader.kill()
    start = time.monotonic()
    new_leader = leader_of(followers, timeout=10)
    assert new_leader.port != old_port
    elapsed = time.monotonic() - start
    assert elapsed < 10
    c = new_leader.client()
    for key, value in acknowledged.items():
        assert c.get(key) == value
    assert c.set("after-failover", "yes")


def test_all_nodes_killed_and_restarted_keep_every_write(tmp_path, nodes):
    make_cluster(tmp_path, nodes, 3)
    leader = leader_of(nodes)
    c = leader.client()
    for i in range(200):
        assert c.set(f"k{i}", i)
    with c.pipeline(transaction=True) as p:
        p.incr("tx")
        p.incr("tx")
        assert p.execute() == [1, 2]
    for n in nodes:
        n.kill()
    for n in nodes:
        n.start()
    c = leader_of(nodes).client()
    wait_until(lambda: c.get("tx") == b"2", what="the log replayed on the new leader")
    for i in range(200):
        assert c.get(f"k{i}") == str(i).encode()


def test_watch_conflict_aborts_replicated_transaction(tmp_path, nodes):
    make_cluster(tmp_path, nodes, 3)
    c = leader_of(nodes).client()
    other = leader_of(nodes).client()
    c.set("w", "1")
    with c.pipeline(transaction=True) as p:
        p.watch("w")
        other.set("w", "2")  # between WATCH and EXEC
        p.multi()
        p.set("w", "3")
        with pytest.raises(redis.WatchError):
            p.execute()
    assert c.get("w") == b"2"


def test_cluster_commands_describe_one_shard(tmp_path, nodes):
    make_cluster(tmp_path, nodes, 3)
    leader = leader_of(nodes)
    c = nodes[0].client()
    info = c.execute_command("CLUSTER", "INFO").decode()
    assert "cluster_state:ok" in info
    assert c.info("cluster")["cluster_enabled"] == 1
    slots = c.execute_command("CLUSTER", "SLOTS")
    assert len(slots) == 1 and slots[0][0] == 0 and slots[0][1] == 16383
    assert slots[0][2][1] == leader.port
    assert len(slots[0]) == 5  # range, master, two replicas
    assert c.execute_command("CLUSTER", "KEYSLOT", "foo") == 12182
    myid = c.execute_command("CLUSTER", "MYID").decode()
    assert re.fullmatch(r"[0-9a-f]{40}", myid)
    nodes_text = c.execute_command("CLUSTER", "NODES").decode()
    assert myid in nodes_text and "myself" in nodes_text and "0-16383" in nodes_text


def test_corrupt_log_refuses_to_start_naming_the_file(tmp_path, nodes):
    node = Node(str(tmp_path / "corrupt"), free_port())
    nodes.append(node)
    node.start()
    c = node.client()
    wait_until(lambda: c.info("raft").get("raft_role") == "leader", what="leadership")
    for i in range(100):
        c.set(f"k{i}", "x" * 100)
    node.kill()
    logdir = os.path.join(node.workdir, "node-0", "log")
    segment = sorted(os.listdir(logdir))[0]
    path = os.path.join(logdir, segment)
    with open(path, "r+b") as f:
        f.seek(os.path.getsize(path) // 2)
        f.write(b"\xff\xfe\xfd\xfc")
    log = open(os.path.join(node.workdir, "server.log"), "ab")
    proc = subprocess.run([BIN, "--port", str(node.port), "--bind", HOST, "--dir", node.workdir],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=20,
                          cwd=node.workdir)
    log.close()
    assert proc.returncode == 1
    assert segment in proc.stdout.decode(errors="replace")


def test_leader_expires_keys_actively_through_the_log(tmp_path, nodes):
    """Keys nobody touches disappear on every node (the leader proposes their deletion), and a
    follower, which never expires on its own, counts them as expired when it applies that."""
    make_cluster(tmp_path, nodes, 3, ["--enable-debug-command", "yes"])
    leader = leader_of(nodes)
    c = leader.client()
    c.execute_command("DEBUG", "SET-ACTIVE-EXPIRE", "0")  # the leader proposes no deletions
    for i in range(50):
        assert c.set(f"short:{i}", "v", px=200)
    for i in range(20):
        assert c.set(f"long:{i}", "v")

    def keyspace_keys(node):
        return node.client().info("keyspace").get("db0", {}).get("keys", 0)

    # Followers never expire on their own: a second after the TTLs ran out (ten cron runs) every
    # node still stores the 50 expired keys, though none of them is visible.
    wait_until(lambda: all(keyspace_keys(n) == 70 for n in nodes), what="replication")
    deadline = time.monotonic() + 1.2
    while time.monotonic() < deadline:
        assert all(keyspace_keys(n) == 70 for n in nodes)
        time.sleep(0.1)
    assert c.dbsize() == 70
    # A read that meets an expired key has the leader delete it through the log first, so that
    # no later leader (with a slower clock) can show it again: every node drops it.
    assert c.get("short:0") is None
    assert c.dbsize() == 69
    wait_until(lambda: all(keyspace_keys(n) == 69 for n in nodes), what="the read's deletion")
    c.execute_command("DEBUG", "SET-ACTIVE-EXPIRE", "1")

    def all_expired():
        return all(keyspace_keys(n) == 20 for n in nodes)
    wait_until(all_expired, timeout=15, what="every node to drop the 50 expired keys")
    for n in nodes:
        assert n.client().info("stats")["expired_keys"] == 50
    assert c.dbsize() == 20


def test_publish_reaches_subscribers_on_every_node(tmp_path, nodes):
    make_cluster(tmp_path, nodes, 3)
    leader = leader_of(nodes)
    followers = [n for n in nodes if n is not leader]
    subs = []
    for n in nodes:
        p = n.client().pubsub()
        p.subscribe("news")
        assert p.get_message(timeout=5)["type"] == "subscribe"
        subs.append(p)
    # The reply counts the receivers on the node that answered (the leader), as Redis Cluster.
    assert leader.client().publish("news", "hello") == 1
    for p in subs:
        m = p.get_message(timeout=5)
        assert m is not None and m["type"] == "message" and m["data"] == b"hello", m
    # A follower sends the publisher to the leader; nothing was published there.
    with pytest.raises(redis.ResponseError, match=r"^MOVED 0 "):
        followers[0].client().publish("news", "not here")
    for p in subs:
        assert p.get_message(timeout=0.3) is None
        p.close()


def test_pipelined_reads_and_writes_on_a_leader_keep_their_order(tmp_path, nodes):
    """A pipeline's reads share ReadIndex rounds and its writes share log writes, but every reply
    comes in request order and every read sees the writes sent before it."""
    make_cluster(tmp_path, nodes, 3)
    leader = leader_of(nodes)
    c = leader.client()
    for i in range(200):
        c.set(f"p:{i}", i)
    pipe = c.pipeline(transaction=False)
    expected = []
    for i in range(200):
        pipe.get(f"p:{i}")
        expected.append(str(i).encode())
        if i % 7 == 0:
            pipe.incr("p:counter")
            expected.append(i // 7 + 1)
            pipe.get("p:counter")
            expected.append(str(i // 7 + 1).encode())
        if i % 13 == 0:
            pipe.ping()
            expected.append(True)
    assert pipe.execute() == expected


def test_a_read_after_a_push_sees_the_woken_consumers_done(tmp_path, nodes):
    """Redis serves the clients a push unblocks before its next command; on a leader their pops
    go through the log again, and a read waits for them (Redis's "Circular BRPOPLPUSH")."""
    make_cluster(tmp_path, nodes, 3)
    leader = leader_of(nodes)
    c = leader.client()
    for round_ in range(10):
        c.delete("l1{t}", "l2{t}")
        b1 = redis.Connection(host=HOST, port=leader.port, socket_timeout=10)
        b2 = redis.Connection(host=HOST, port=leader.port, socket_timeout=10)
        b1.send_command("BRPOPLPUSH", "l1{t}", "l2{t}", 0)
        wait_until(lambda: c.info("clients")["blocked_clients"] == 1, what="one blocked")
        b2.send_command("BRPOPLPUSH", "l2{t}", "l1{t}", 0)
        wait_until(lambda: c.info("clients")["blocked_clients"] == 2, what="two blocked")
        c.rpush("l1{t}", f"v{round_}")
        assert c.lrange("l1{t}", 0, -1) == [f"v{round_}".encode()]
        assert c.lrange("l2{t}", 0, -1) == []
        assert b1.read_response() == f"v{round_}".encode()
        assert b2.read_response() == f"v{round_}".encode()
        b1.disconnect()
        b2.disconnect()
