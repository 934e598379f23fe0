"""Reads that change a value change it on every replica or on none (design.md, "Determinism").

PFCOUNT of one key caches the cardinality inside the HLL value (bytes 8-15). Redis propagates
such a PFCOUNT to its replicas; zakros proposes it through the log when the cache is stale, and
a read served outside the log (ReadIndex on the leader, READONLY on a follower) leaves the value
alone. Either way every node holds the same bytes.
"""

import pytest

from zakros_testlib import SERVER_KIND, wait_until
from test_raft import leader_of, make_cluster, nodes  # noqa: F401 (fixture)

pytestmark = pytest.mark.skipif(SERVER_KIND != "zakros", reason="zakros's own replication")


def cache_is_valid(value):
    # Redis's HLL header: "HYLL", encoding, 3 unused bytes, then the cardinality cache whose
    # most significant bit (of byte 15) marks it invalid.
    return value[:4] == b"HYLL" and not value[15] & 0x80


def test_pfcount_refreshes_the_cache_on_every_replica(tmp_path, nodes):  # noqa: F811
    make_cluster(tmp_path, nodes, 3)
    leader = leader_of(nodes)
    followers = [n for n in nodes if n is not leader]
    c = leader.client()
    c.pfadd("hll", *[f"e{i}" for i in range(500)])
    assert not cache_is_valid(c.get("hll"))
    assert 480 <= c.pfcount("hll") <= 520  # stale cache: proposed through the log

    def values():
        readers = []
        for f in followers:
            r = f.client()
            r.execute_command("READONLY")
            readers.append(r)
        return [c.get("hll")] + [r.get("hll") for r in readers]

    wait_until(lambda: len(set(values())) == 1, what="every replica to hold the same HLL bytes")
    assert cache_is_valid(values()[0])

    # A READONLY PFCOUNT on a follower after a PFADD leaves its copy unchanged.
    c.pfadd("hll", "one-more")
    r = followers[0].client()
    r.execute_command("READONLY")
    wait_until(lambda: r.get("hll") == c.get("hll"), what="the PFADD to reach the follower")
    before = r.get("hll")
    assert not cache_is_valid(before)
    r.pfcount("hll")
    assert r.get("hll") == before
    # The leader's own PFCOUNT refreshes the cache everywhere again.
    c.pfcount("hll")
    wait_until(lambda: len(set(values())) == 1 and cache_is_valid(values()[0]),
               what="the refreshed cache on every replica")


def test_debug_populate_reaches_every_replica(tmp_path, nodes):  # noqa: F811
    make_cluster(tmp_path, nodes, 3, extra=("--enable-debug-command", "yes"))
    leader = leader_of(nodes)
    assert leader.client().execute_command("DEBUG", "POPULATE", "100", "pop") == b"OK"
    digests = lambda: {n.client().execute_command("DEBUG", "DIGEST") for n in nodes}  # noqa: E731
    wait_until(lambda: len(digests()) == 1, what="every replica to hold the populated keys")
    follower = next(n for n in nodes if n is not leader).client()
    follower.execute_command("READONLY")
    assert follower.get("pop:7") == b"value:7"
    assert digests() != {b"0" * 40}
