"""DEBUG DIGEST and DEBUG DIGEST-VALUE against Debian's redis-server: the same commands sent to
both servers must give the same 40-hex digests, for the whole dataset and for every key, over
every value type and encoding (strings incl. integers, lists over several quicklist nodes,
intsets and hashtable sets, listpack and hashtable hashes, listpack and skiplist sorted sets with
awkward scores, streams with deleted entries and groups, HyperLogLogs sparse and dense, keys with
a TTL) in several databases.

Only deterministic commands are sent (nothing random, no relative TTL whose value could differ:
the digest only marks that a key has a TTL, not its value). Both servers run in their own
directories under tmp_path on free ports, and are stopped by their PIDs.
"""

import os
import subprocess

import pytest
import redis

from zakros_testlib import HOST, free_port, wait_until

REDIS_SERVER = "/usr/bin/redis-server"
ZEROS = "0" * 40

pytestmark = pytest.mark.skipif(not os.path.exists(REDIS_SERVER),
                                reason="needs Debian's redis-server as the reference")


@pytest.fixture
def reference(tmp_path):
    """A redis-server 7.0 with DEBUG enabled and no persistence; yields a bytes client."""
    port = free_port()
    workdir = tmp_path / "redis"
    workdir.mkdir()
    log = open(workdir / "server.log", "wb")
    proc = subprocess.Popen([REDIS_SERVER, "--port", str(port), "--bind", HOST, "--save", "",
                             "--appendonly", "no", "--dir", str(workdir),
                             "--enable-debug-command", "yes"],
                            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    client = redis.Redis(host=HOST, port=port, socket_timeout=20)

    def up():
        assert proc.poll() is None, (workdir / "server.log").read_text()
        try:
            return client.ping()
        except redis.ConnectionError:
            return False

    try:
        wait_until(up, timeout=20, what="redis-server to listen")
        yield client
    finally:
        client.close()
        proc.kill()
        proc.wait(timeout=10)
        log.close()


@pytest.fixture
def zakros(server_factory):
    srv = server_factory("--enable-debug-command", "yes")
    client = srv.client(decode_responses=False)
    yield client
    client.close()


def status(reply):
    return reply.decode() if isinstance(reply, bytes) else reply


def digest(client):
    return status(client.execute_command("DEBUG", "DIGEST"))


def value_digests(client, db, keys):
    client.execute_command("SELECT", db)
    return [status(d) for d in client.execute_command("DEBUG", "DIGEST-VALUE", *keys)]


def all_keys(client):
    """{db: sorted keys} of every non-empty database."""
    out = {}
    for db, _ in client.info("keyspace").items():
        n = int(db[2:])
        client.execute_command("SELECT", n)
        out[n] = sorted(client.keys("*"))
    client.execute_command("SELECT", 0)
    return out


# --- the workload: one list of commands per database ----------------------------------------


def strings():
    return [
        ("SET", "s:plain", "hello world"),
        ("SET", "s:empty", ""),
        ("SET", "s:binary", b"\x00\xff\r\n\x01"),
        ("SET", "s:int", "12345"),
        ("SET", "s:negint", "-9223372036854775808"),
        ("SET", "s:maxint", "9223372036854775807"),
        ("SET", "s:notcanonical", "007"),
        ("SET", "s:long", "x" * 300),
        ("SET", "s:float", "3.14"),
        ("INCRBYFLOAT", "s:float", "0.1"),
        ("INCR", "s:counter"),
        ("INCRBY", "s:counter", "41"),
        ("APPEND", "s:int", "6"),
        ("SETRANGE", "s:range", "5", "abc"),
        ("SETBIT", "s:bits", "77", "1"),
        ("MSET", "s:m1", "1", "s:m2", "two"),
    ]


def lists():
    cmds = [("RPUSH", "l:small", "a", "1", "-2", "three", "")]
    # More elements than one listpack node holds (list-max-listpack-size -2: 8 KB).
    cmds += [("RPUSH", "l:big", *[f"element-{i}-" + "y" * (i % 50) for i in range(j, j + 100)])
             for j in range(0, 600, 100)]
    cmds += [("LPUSH", "l:big", "head", "12"), ("LSET", "l:big", "10", "replaced"),
             ("LINSERT", "l:big", "BEFORE", "replaced", "inserted"),
             ("LREM", "l:big", "0", "element-7-yyyyyyy"), ("LTRIM", "l:big", "1", "-2"),
             ("RPUSH", "l:ints", *[str(i * 1000003) for i in range(-50, 50)])]
    return cmds


def sets():
    return [
        ("SADD", "set:intset", "1", "2", "3", "-5", "100000", "9223372036854775807"),
        ("SADD", "set:strings", "a", "b", "c", "1"),
        ("SADD", "set:bigint", *[str(i * 7) for i in range(600)]),  # intset -> hashtable
        ("SADD", "set:big", *[f"member:{i}" for i in range(300)]),
        ("SREM", "set:big", "member:7", "member:100"),
        ("SADD", "set:one", "x"),
    ]


def hashes():
    return [
        ("HSET", "h:small", "f1", "v1", "f2", "2", "num", "-17", "empty", ""),
        # > hash-max-listpack-entries (512): hashtable
        ("HSET", "h:big", *[x for i in range(600) for x in (f"field:{i}", f"value:{i * i}")]),
        ("HDEL", "h:big", "field:3"),
        ("HSET", "h:longvalue", "f", "z" * 100),  # > hash-max-listpack-value: hashtable
        ("HINCRBY", "h:small", "counter", "5"),
        ("HINCRBYFLOAT", "h:small", "float", "1.25"),
    ]


SCORES = ["1", "1.5", "0.1", "-0", "0", "+inf", "-inf", "1e300", "-3.0000000000000004",
          "100000000000000000", "12345678901234567890", "2.5e-10", "7", "-1"]


def zsets():
    small = [x for i, s in enumerate(SCORES) for x in (s, f"m{i}")]
    big = [x for i in range(200) for x in (str(i / 7), f"member:{i}")]
    return [
        ("ZADD", "z:small", *small),
        ("ZADD", "z:intmembers", "1", "10", "2", "-20", "3", "30"),
        ("ZADD", "z:big", *big, *small),  # > zset-max-listpack-entries: skiplist
        ("ZINCRBY", "z:small", "0.25", "m0"),
        ("ZREM", "z:big", "member:5"),
        ("ZADD", "z:longmember", "1", "q" * 100),  # > zset-max-listpack-value: skiplist
    ]


def streams():
    cmds = [("XADD", "x:s", f"{i}-1", "field", f"v{i}", "n", str(i)) for i in range(1, 40)]
    cmds += [
        ("XADD", "x:s", "40-0", "other", "fields", "here", "1"),  # not the master's fields
        ("XADD", "x:s", "18446744073709551615-5", "max", "ms"),
        ("XDEL", "x:s", "3-1", "20-1"),
        ("XGROUP", "CREATE", "x:s", "g1", "0"),
        ("XREADGROUP", "GROUP", "g1", "alice", "COUNT", "5", "STREAMS", "x:s", ">"),
        ("XACK", "x:s", "g1", "1-1"),
        ("XADD", "x:big", "1-1", "k", "v"),
        *[("XADD", "x:big", f"2-{i}", "k", "x" * (i * 10)) for i in range(1, 150)],
        ("XTRIM", "x:big", "MAXLEN", "100"),
        ("XADD", "x:empty", "5-5", "a", "b"),
        ("XDEL", "x:empty", "5-5"),  # an empty stream stays, with its last ID
    ]
    return cmds


def hyperloglogs():
    return [
        ("PFADD", "hll:sparse", "a", "b", "c"),
        ("PFADD", "hll:dense", *[f"e{i}" for i in range(5000)]),
        ("PFADD", "hll:other", *[f"o{i}" for i in range(100)]),
        ("PFMERGE", "hll:merged", "hll:sparse", "hll:other"),
        ("PFADD", "hll:empty"),
    ]


def ttls():
    # Absolute times far in the future: both servers hold the same TTL whatever their clocks.
    return [
        ("SET", "t:string", "v", "PXAT", "4102444800000"),
        ("RPUSH", "t:list", "a", "b"), ("PEXPIREAT", "t:list", "4102444800000"),
        ("HSET", "t:hash", "f", "v"), ("EXPIREAT", "t:hash", "4102444800"),
        ("SET", "t:persisted", "v", "PXAT", "4102444800000"), ("PERSIST", "t:persisted"),
    ]


WORKLOAD = {
    0: strings() + lists() + sets() + hashes() + zsets() + streams() + hyperloglogs() + ttls(),
    1: strings() + ttls(),
    5: zsets() + sets(),
    15: [("SET", "only", "in db 15")],
}


def run(client, workload):
    for db, cmds in workload.items():
        client.execute_command("SELECT", db)
        for cmd in cmds:
            client.execute_command(*cmd)
    client.execute_command("SELECT", 0)


def check_equal(zakros, reference):
    """Asserts equal per-key and dataset digests; per-key first, so a failure names the keys."""
    keys = all_keys(reference)
    assert all_keys(zakros) == keys
    differ = []
    for db, names in keys.items():
        for name, z, r in zip(names, value_digests(zakros, db, names),
                              value_digests(reference, db, names)):
            if z != r:
                differ.append((db, name))
    assert differ == []
    zakros.execute_command("SELECT", 0)
    reference.execute_command("SELECT", 0)
    assert digest(zakros) == digest(reference)


def test_empty_dataset_digest_is_zeros(zakros, reference):
    assert digest(zakros) == ZEROS == digest(reference)
    assert value_digests(zakros, 0, ["missing", "other"]) == [ZEROS, ZEROS]
    assert value_digests(reference, 0, ["missing", "other"]) == [ZEROS, ZEROS]
    assert zakros.execute_command("DEBUG", "DIGEST-VALUE") == []


def test_digests_match_redis_for_every_type(zakros, reference):
    run(zakros, WORKLOAD)
    run(reference, WORKLOAD)
    check_equal(zakros, reference)
    assert digest(zakros) != ZEROS
    # The workload reaches every encoding, the same way on both servers.
    encodings = {name: reference.object("encoding", name) for name in reference.keys("*")}
    assert {name: zakros.object("encoding", name) for name in encodings} == encodings
    assert set(encodings.values()) == {b"int", b"embstr", b"raw", b"quicklist", b"intset",
                                       b"hashtable", b"listpack", b"skiplist", b"stream"}


def test_digest_depends_on_order_db_and_ttl_but_not_encoding(zakros, reference):
    for client in (zakros, reference):
        client.execute_command("RPUSH", "ab", "a", "b")
        client.execute_command("RPUSH", "ba", "b", "a")
        client.execute_command("SADD", "s1", "a", "b")
        client.execute_command("SADD", "s2", "b", "a")
        client.execute_command("SET", "ttl", "v", "PXAT", "4102444800000")
        client.execute_command("SET", "nottl", "v")
    for client in (zakros, reference):
        ab, ba, s1, s2, ttl, nottl = value_digests(client, 0, ["ab", "ba", "s1", "s2", "ttl",
                                                              "nottl"])
        assert ab != ba and s1 == s2 and ttl != nottl
    check_equal(zakros, reference)
    # The same dataset in another database digests differently.
    before = digest(zakros)
    for client in (zakros, reference):
        client.execute_command("MOVE", "nottl", "3")
    assert digest(zakros) != before
    check_equal(zakros, reference)
    # A hash converted to a hashtable and back to the same content digests the same.
    for client in (zakros, reference):
        client.execute_command("HSET", "small", "f", "v")
        client.execute_command("HSET", "converted", "f", "v", "long", "w" * 100)
        client.execute_command("HDEL", "converted", "long")
        assert client.object("encoding", "converted") == b"hashtable"
        a, b = value_digests(client, 0, ["small", "converted"])
        assert a == b
    check_equal(zakros, reference)


def test_pfcount_cache_digests_as_in_redis(zakros, reference):
    """PFCOUNT stores the cardinality it computed in the HLL header, in Redis: the value
    changes. Whatever zakros chooses (issue 10), this records whether it still matches."""
    for client in (zakros, reference):
        client.execute_command("PFADD", "h", *[f"e{i}" for i in range(300)])
    check_equal(zakros, reference)
    for client in (zakros, reference):
        client.execute_command("PFCOUNT", "h")
    check_equal(zakros, reference)
