"""Replies leave in the order of the commands, whatever path made them (design.md, "The dispatch
gate"): on a 3-node leader and on the persistent single node, long random pipelines mixing
writes, linearizable reads, errors of the gate, admin and connection commands, MULTI blocks and
CLIENT REPLY get exactly the replies the volatile mode gives for the same stream.

A pipelining client pairs replies with commands by position only, so one error that overtakes
the reply of a write still in the Raft log hands every later caller the wrong answer.
"""

import random

import pytest

from zakros_testlib import SERVER_KIND, Error, RawConn, encode
from test_raft import Node, free_port, leader_of, make_cluster, nodes  # noqa: F401 (fixture)

pytestmark = pytest.mark.skipif(SERVER_KIND != "zakros", reason="zakros's own replication")

KEYS = ["s1", "s2", "n1", "n2", "l1", "h1", "z1", "{t}a", "{t}b"]


def random_command(rng):
    """One command of a random kind (an argv), or a MULTI block (a list of argvs)."""
    k = rng.choice(KEYS)
    v = str(rng.randrange(100))
    kind = rng.random()
    if kind < 0.30:  # writes, some of them WRONGTYPE or syntax errors at execution
        return rng.choice([
            ["SET", k, v], ["SET", k, v, "NX"], ["SET", k, v, "XX", "GET"], ["INCR", k],
            ["INCRBY", k, v], ["APPEND", k, v], ["DEL", k], ["UNLINK", k, rng.choice(KEYS)],
            ["LPUSH", k, v, v], ["RPOP", k], ["HSET", k, "f" + v, v], ["HINCRBY", k, "f", v],
            ["ZADD", k, v, "m" + v], ["SADD", k, v], ["EXPIRE", k, "1000"], ["PERSIST", k],
            ["MSET", "{t}a", v, "{t}b", v], ["SET", k, v, "NX", "XX"], ["INCR", k, k],
            ["GETDEL", k], ["PFADD", "hll", v], ["LPOP", k, "0"],
        ])
    if kind < 0.55:  # linearizable reads
        return rng.choice([
            ["GET", k], ["EXISTS", k, rng.choice(KEYS)], ["TYPE", k], ["STRLEN", k],
            ["LRANGE", k, "0", "-1"], ["HGETALL", k], ["ZRANGE", k, "0", "-1", "WITHSCORES"],
            ["SISMEMBER", k, v], ["MGET", "{t}a", "{t}b"], ["DBSIZE"], ["PFCOUNT", "hll"],
            ["GETRANGE", k, "0", "2"], ["LLEN", k], ["HGET", k, "f"],
        ])
    if kind < 0.70:  # errors of the gate
        return rng.choice([
            ["NOSUCHCMD", k], ["GET"], ["SET", k], ["CLIENT", "NOSUCHSUB"], ["EXEC"],
            ["DISCARD"], ["CONFIG", "GET"], ["HSET", k], ["ZADD", k, v],
        ])
    if kind < 0.90:  # local commands: connection and admin
        return rng.choice([
            ["PING"], ["PING", v], ["ECHO", v], ["SELECT", str(rng.randrange(3))],
            ["SELECT", "99"], ["CLIENT", "SETNAME", "c" + v], ["CLIENT", "GETNAME"],
            ["CONFIG", "GET", "maxmemory-policy"], ["COMMAND", "COUNT"],
            ["CLIENT", "REPLY", "SKIP"], ["CLIENT", "REPLY", "OFF"], ["CLIENT", "REPLY", "ON"],
            ["HELLO", "2"], ["ECHO"], ["CLUSTER", "KEYSLOT", k],
        ])
    # A transaction: queued commands, maybe a queueing error that aborts it.
    block = [["MULTI"]]
    for _ in range(rng.randrange(1, 5)):
        block.append(rng.choice([["SET", k, v], ["INCR", k], ["GET", k], ["NOSUCHCMD"],
                                 ["LPUSH", k, v], ["PING"]]))
    block.append(rng.choice([["EXEC"], ["EXEC"], ["DISCARD"]]))
    return block


def random_stream(seed, length):
    rng = random.Random(seed)
    stream = []
    while len(stream) < length:
        cmd = random_command(rng)
        if isinstance(cmd[0], list):
            stream.extend(cmd)
        else:
            stream.append(cmd)
    # Every reply after this is on again, and the marker tells the reader where the stream ends.
    stream += [["CLIENT", "REPLY", "ON"], ["SELECT", "0"], ["ECHO", f"end-{seed}"]]
    return stream


def run_stream(port, stream, seed):
    """Sends the whole stream in one write, then reads every reply up to the end marker."""
    with RawConn(port, timeout=30) as conn:
        conn.send(b"".join(encode(*argv) for argv in stream))
        replies = []
        while True:
            raw, value = conn.read_raw_reply()
            replies.append(raw)
            if value == f"end-{seed}".encode():
                return replies


def normalise(replies):
    """HELLO's reply holds the connection's id and the server's mode: compared as a HELLO reply
    only (it is the only reply that opens with the "server" field)."""
    return [b"<HELLO reply>" if raw.startswith(b"*14\r\n$6\r\nserver\r\n") else raw
            for raw in replies]


def reference_replies(tmp_path, nodes, seeds, length):  # noqa: F811
    ref = Node(str(tmp_path / "volatile"), free_port(), ["--raft-enabled", "no"])
    nodes.append(ref)
    ref.start()
    return {seed: run_stream(ref.port, random_stream(seed, length), seed) for seed in seeds}


def assert_same_replies(port, seeds, length, expected):
    for seed in seeds:
        stream = random_stream(seed, length)
        got = run_stream(port, stream, seed)
        want = expected[seed]
        for i, (g, w) in enumerate(zip(normalise(got), normalise(want))):
            assert g == w, (f"seed {seed}: reply {i} differs: got {g!r}, volatile mode gave "
                            f"{w!r}")
        assert len(got) == len(want), f"seed {seed}: {len(got)} replies, volatile {len(want)}"


SEEDS = list(range(1, 7))
LENGTH = 1500


def test_issue_example_in_order_on_a_3_node_leader(tmp_path, nodes):  # noqa: F811
    make_cluster(tmp_path, nodes, 3)
    leader = leader_of(nodes)
    with RawConn(leader.port) as conn:
        conn.send(encode("SET", "k", "1") + encode("GET", "k") + encode("NOSUCHCMD", "x") +
                  encode("GET") + encode("INCR", "k"))
        replies = [conn.read_reply() for _ in range(5)]
    assert replies[0] == "OK"
    assert replies[1] == b"1"
    assert isinstance(replies[2], Error) and replies[2].startswith("ERR unknown command 'NOSUCHCMD'")
    assert replies[3] == "ERR wrong number of arguments for 'get' command"
    assert replies[4] == 2


def test_random_pipelines_on_a_3_node_leader_match_volatile_mode(tmp_path, nodes):  # noqa: F811
    expected = reference_replies(tmp_path, nodes, SEEDS, LENGTH)
    cluster = []
    make_cluster(tmp_path / "cluster", cluster, 3)
    nodes.extend(cluster)
    leader = leader_of(cluster)
    assert_same_replies(leader.port, SEEDS, LENGTH, expected)


def test_random_pipelines_on_the_persistent_single_node_match_volatile_mode(tmp_path, nodes):  # noqa: F811,E501
    expected = reference_replies(tmp_path, nodes, SEEDS, LENGTH)
    single = Node(str(tmp_path / "single"), free_port())
    nodes.append(single)
    single.start()
    leader_of([single])
    assert_same_replies(single.port, SEEDS, LENGTH, expected)


def test_protocol_error_waits_for_the_writes_before_it(tmp_path, nodes):  # noqa: F811
    single = Node(str(tmp_path / "single"), free_port())
    nodes.append(single)
    single.start()
    leader_of([single])
    with RawConn(single.port) as conn:
        conn.send(encode("SET", "a", "1") + encode("INCR", "a") + b"*1\r\n$x\r\n")
        assert conn.read_reply() == "OK"
        assert conn.read_reply() == 2
        assert conn.read_reply() == "ERR Protocol error: invalid bulk length"
        conn.expect_closed()
