"""WAIT and ROLE with real processes: a 3-node cluster (the leader as Redis's master, followers as
its replicas), a persistent single node and a volatile node (masters without replicas).

WAIT counts the other members whose log holds the client's last write; ROLE describes the Raft
roles in Redis 7.0's format, whose reply types (bulk strings for a replica's port and offset,
integers elsewhere) are checked byte for byte in RESP2 and RESP3. Waits poll with a deadline.
"""

import re
import time

import pytest
import redis

from test_raft import Node, leader_of, make_cluster, nodes  # noqa: F401 (nodes is a fixture)
from zakros_testlib import HOST, SERVER_KIND, RawConn, free_port, wait_until

pytestmark = pytest.mark.skipif(SERVER_KIND != "zakros", reason="zakros's own replication")

REPLICA_ERROR = (
    "WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a "
    "replica is configured to be writable (which is not the default) writes to replicas are "
    "just local and are not propagated.")


def bulk(value):
    value = value if isinstance(value, bytes) else str(value).encode()
    return b"$%d\r\n%s\r\n" % (len(value), value)


def role_bytes(value):
    """The exact bytes Redis 7.0 sends for a ROLE reply holding `value` (either protocol)."""
    if value[0] == b"master":
        out = b"*3\r\n" + bulk(b"master") + b":%d\r\n" % value[1] + b"*%d\r\n" % len(value[2])
        for host, port, offset in value[2]:
            out += b"*3\r\n" + bulk(host) + bulk(port) + bulk(offset)
        return out
    return (b"*5\r\n" + bulk(b"slave") + bulk(value[1]) + b":%d\r\n" % value[2] + bulk(value[3])
            + b":%d\r\n" % value[4])


def role(port, protocol=2):
    """ROLE over a raw connection: (parsed value, exact bytes); checks the bytes match the types
    Redis uses."""
    with RawConn(port) as conn:
        if protocol == 3:
            conn.cmd("HELLO", "3")
            conn.read_reply()
        conn.cmd("ROLE")
        raw, value = conn.read_raw_reply()
    assert raw == role_bytes(value), raw
    return value


def timed(client, *command):
    start = time.monotonic()
    reply = client.execute_command(*command)
    return reply, time.monotonic() - start


def test_wait_counts_the_members_holding_the_write(tmp_path, nodes):
    cluster = make_cluster(tmp_path, nodes, 3)
    leader = leader_of(cluster)
    followers = [n for n in cluster if n is not leader]
    c = leader.client()
    assert c.set("k", "v")
    # A write is acknowledged once a majority has it: one follower at least, at once (the
    # count may include the other follower already, as Redis counts every replica that acked).
    assert c.execute_command("WAIT", 1, 0) in (1, 2)
    assert c.execute_command("WAIT", 2, 1000) == 2
    # Asking for no more than are there answers at once, as Redis does.
    assert c.execute_command("WAIT", 0, 0) == 2
    # Inside MULTI WAIT never blocks: it answers the count when EXEC's entry is applied, which
    # a majority holds by then.
    pipe = c.pipeline(transaction=True)
    pipe.set("k", "w")
    pipe.execute_command("WAIT", 5, 0)
    ok, count = pipe.execute()
    assert ok is True and count in (1, 2)
    # A follower is a replica: Redis's error.
    with pytest.raises(redis.ResponseError, match="^" + re.escape(REPLICA_ERROR) + "$"):
        followers[0].client().execute_command("WAIT", 0, 0)

    followers[1].kill()
    assert c.set("k2", "v")  # still committed by the two left
    reply, elapsed = timed(c, "WAIT", 2, 200)
    assert reply == 1
    assert elapsed >= 0.19
    assert c.execute_command("WAIT", 1, 0) == 1


def test_wait_on_single_nodes_has_no_replicas(tmp_path, nodes):
    persistent = Node(str(tmp_path / "single"), free_port())
    volatile = Node(str(tmp_path / "volatile"), free_port(), ["--raft-enabled", "no"])
    nodes.extend([persistent, volatile])
    for node in nodes:
        node.start()
    wait_until(lambda: persistent.role() == "leader", what="leadership")
    for node in nodes:
        c = node.client()
        assert c.set("k", "v")
        assert c.execute_command("WAIT", 0, 0) == 0
        # Redis without replicas waits out the timeout, then answers 0.
        reply, elapsed = timed(c, "WAIT", 1, 100)
        assert reply == 0
        assert elapsed >= 0.09


def test_wait_blocks_the_client_and_keeps_its_replies_in_order(tmp_path, nodes):
    node = Node(str(tmp_path / "volatile"), free_port(), ["--raft-enabled", "no"])
    nodes.append(node)
    node.start()
    with RawConn(node.port) as conn:
        conn.cmd("CLIENT", "ID")
        client_id = conn.read_reply()
        conn.send(b"WAIT 1 0\r\nPING\r\n")
        other = node.client()
        wait_until(lambda: other.info("clients")["blocked_clients"] == 1, what="WAIT to block")
        assert other.execute_command("CLIENT", "UNBLOCK", client_id) == 1
        assert conn.read_reply() == 0
        assert conn.read_reply() == "PONG"


def test_role_of_leader_and_followers(tmp_path, nodes):
    cluster = make_cluster(tmp_path, nodes, 3)
    leader = leader_of(cluster)
    followers = [n for n in cluster if n is not leader]
    assert leader.client().set("k", "v")

    def caught_up():
        value = role(leader.port)
        offsets = {int(offset) for _, _, offset in value[2]}
        return value if len(value[2]) == 2 and offsets == {value[1]} else None
    value = wait_until(caught_up, what="both followers to hold the leader's log")
    assert value[1] > 0
    assert sorted(int(port) for _, port, _ in value[2]) == sorted(f.port for f in followers)
    assert all(host == HOST.encode() for host, _, _ in value[2])
    assert role(leader.port, protocol=3)[0] == b"master"

    for follower in followers:
        for protocol in (2, 3):
            value = role(follower.port, protocol)
            assert value[:4] == [b"slave", HOST.encode(), leader.port, b"connected"]
            assert value[4] >= 1

    # With the leader and another member gone, the last one knows no leader.
    leader.kill()
    followers[1].kill()
    value = wait_until(lambda: (v := role(followers[0].port)) and v[3] == b"connect" and v,
                       timeout=15, what="the lone follower to lose its leader")
    assert value[:3] == [b"slave", b"?", 0]


def test_role_of_single_nodes(tmp_path, nodes):
    persistent = Node(str(tmp_path / "single"), free_port())
    volatile = Node(str(tmp_path / "volatile"), free_port(), ["--raft-enabled", "no"])
    nodes.extend([persistent, volatile])
    for node in nodes:
        node.start()
    wait_until(lambda: persistent.role() == "leader", what="leadership")
    assert role(volatile.port) == [b"master", 0, []]
    assert role(volatile.port, protocol=3) == [b"master", 0, []]
    before = role(persistent.port)
    assert before[0] == b"master" and before[2] == []
    persistent.client().set("k", "v")
    assert role(persistent.port, protocol=3)[1] == before[1] + 1
