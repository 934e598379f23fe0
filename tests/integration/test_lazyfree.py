"""Lazy freeing: UNLINK, FLUSHALL/FLUSHDB ASYNC and the lazyfree-lazy-* options free big values on
the lazy-free thread, counted as Redis 7.0 counts them in INFO memory (lazyfree_pending_objects,
lazyfreed_objects; CONFIG RESETSTAT zeroes the latter). Values whose free effort is at most 64
(Redis's LAZYFREE_THRESHOLD) are freed at once and never counted.

Runs against redis-server too (ZAKROS_TEST_SERVER=redis); the Raft test only against zakros.
Waits poll INFO with a deadline.
"""

import pytest

from test_raft import leader_of, make_cluster, nodes  # noqa: F401 (nodes is a fixture)
from zakros_testlib import SERVER_KIND, wait_until

BIG = 10_000  # set members: a hashtable whose free effort is far above the threshold


def lazyfree(client):
    info = client.info("memory")
    return info["lazyfree_pending_objects"], info["lazyfreed_objects"]


def freed_when_done(client):
    """Polls until nothing is pending, then returns lazyfreed_objects."""
    def done():
        pending, freed = lazyfree(client)
        return (freed,) if pending == 0 else None
    return wait_until(done, what="the lazy-free thread to finish")[0]


def big_set(client, key, members=BIG):
    for start in range(0, members, 1000):
        client.sadd(key, *(f"member:{i}" for i in range(start, min(start + 1000, members))))


def test_unlink_frees_big_values_lazily_and_counts_them(server):
    c = server.client()
    big_set(c, "big")
    c.sadd("small", *range(64))  # an intset: one allocation
    c.set("string", "x" * 100_000)
    assert freed_when_done(c) == 0
    assert c.unlink("big", "small", "string", "missing") == 3
    assert c.exists("big", "small", "string") == 0
    assert freed_when_done(c) == 1
    # DEL frees at once by default.
    big_set(c, "big")
    assert c.delete("big") == 1
    assert freed_when_done(c) == 1
    c.config_resetstat()
    assert lazyfree(c) == (0, 0)


def test_lazyfree_options_make_deletions_lazy(server):
    c = server.client()
    c.config_set("lazyfree-lazy-user-del", "yes")
    big_set(c, "big")
    assert c.delete("big") == 1
    assert freed_when_done(c) == 1
    c.config_set("lazyfree-lazy-server-del", "yes")
    big_set(c, "big")
    c.set("big", "overwritten")  # the old set is freed lazily
    assert freed_when_done(c) == 2
    c.config_set("lazyfree-lazy-expire", "yes")
    c.delete("big")
    big_set(c, "big")
    c.pexpire("big", 1)
    wait_until(lambda: c.exists("big") == 0, what="the key to expire")
    assert freed_when_done(c) == 3


def test_flush_async_counts_every_key(server):
    c = server.client()
    c.mset({f"k{i}": "v" for i in range(100)})
    c.execute_command("SELECT", 1)
    c.mset({f"k{i}": "v" for i in range(50)})
    assert c.flushdb(asynchronous=True)
    assert c.dbsize() == 0
    assert freed_when_done(c) == 50
    assert c.flushall(asynchronous=True)
    assert freed_when_done(c) == 150
    # FLUSHALL without an option is asynchronous under lazyfree-lazy-user-flush, and SYNC never.
    c.config_set("lazyfree-lazy-user-flush", "yes")
    c.mset({f"k{i}": "v" for i in range(10)})
    assert c.execute_command("FLUSHALL")
    assert freed_when_done(c) == 160
    c.mset({f"k{i}": "v" for i in range(10)})
    assert c.execute_command("FLUSHALL", "SYNC")
    assert freed_when_done(c) == 160


@pytest.mark.skipif(SERVER_KIND != "zakros", reason="zakros's own replication")
def test_unlink_through_raft_frees_lazily_on_every_node(tmp_path, nodes):
    cluster = make_cluster(tmp_path, nodes, 3)
    leader = leader_of(cluster)
    c = leader.client()
    big_set(c, "big")
    assert c.unlink("big") == 1
    for node in cluster:
        client = node.client()
        wait_until(lambda: lazyfree(client) == (0, 1), what=f"node {node.port} to free the set")
        assert client.info("keyspace") == {}
