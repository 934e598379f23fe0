"""Raft snapshots with real processes and real files: automatic snapshots and log compaction on
a persistent node (surviving kill -9), a lagging follower catching up by InstallSnapshot,
SAVE/BGSAVE/LASTSAVE/DEBUG RELOAD, Debian's redis-check-rdb and redis-server reading our
snapshot files, and a corrupted snapshot refusing to load.

Every server runs in its own directory under pytest's tmp_path and is killed by its PID at the
end. Waits poll a condition until a deadline; nothing sleeps to synchronise.
"""

import glob
import os
import random
import shutil
import subprocess
import time

import pytest
import redis

import test_raft as tr
from zakros_testlib import BIN, HOST, SERVER_KIND, free_port, wait_until

pytestmark = pytest.mark.skipif(SERVER_KIND != "zakros", reason="zakros's own snapshots")

# The smallest threshold raft-log-max-bytes accepts; log segments are a quarter of it.
THRESHOLD = ["--raft-log-max-bytes", "1mb"]


def value_of(i):
    """~1 KB that LZF cannot shrink, so that snapshots are as large as the data."""
    return f"{i}:" + random.Random(i).randbytes(500).hex()


@pytest.fixture
def procs():
    started = []
    yield started
    for n in started:
        if isinstance(n, tr.Node):
            n.kill()
        elif n.poll() is None:
            n.kill()
            n.wait(timeout=10)


def raft_info(node):
    return node.client().info("raft")


def write_keys(client, start, count):
    pipe = client.pipeline(transaction=False)
    for i in range(start, start + count):
        pipe.set(f"key:{i}", value_of(i))
    assert all(pipe.execute())


def snapshot_files(node, node_id=0):
    d = os.path.join(node.workdir, f"node-{node_id}", "snapshots")
    return sorted(glob.glob(os.path.join(d, "*.rdb"))), sorted(glob.glob(os.path.join(d, "*.meta")))


def segments(node, node_id=0):
    return sorted(os.listdir(os.path.join(node.workdir, f"node-{node_id}", "log")))


def start_single(tmp_path, procs, name="single", extra=()):
    node = tr.Node(str(tmp_path / name), free_port(), THRESHOLD + list(extra))
    procs.append(node)
    node.start()
    c = node.client()
    wait_until(lambda: c.info("raft").get("raft_role") == "leader", what="leadership")
    return node


def test_log_is_compacted_after_a_snapshot_and_survives_kill9(tmp_path, procs):
    node = start_single(tmp_path, procs)
    c = node.client()
    for batch in range(30):  # ~3 MB of log: three times the threshold
        write_keys(c, batch * 100, 100)
    # Settled: a snapshot taken, none running, and too little log since for another one.
    info = wait_until(lambda: (lambda i: i if i["raft_snapshots_taken"] >= 1 and
                               i["raft_snapshot_in_progress"] == 0 and
                               i["raft_log_applied_bytes"] < 1024 * 1024 else None)(
                                   raft_info(node)),
                      timeout=30, what="an automatic snapshot")
    assert info["raft_snapshot_index"] > 0
    assert info["raft_first_index"] == info["raft_snapshot_index"] + 1
    rdbs, metas = snapshot_files(node)
    assert len(rdbs) == 1 and len(metas) == 1
    assert os.path.basename(rdbs[0]) == "%020d.rdb" % info["raft_snapshot_index"]
    # The first segments (index 1 onwards) are gone; what is left is far below 3 MB.
    segs = segments(node)
    assert "%020d.seg" % 1 not in segs
    assert info["raft_log_bytes"] < 2 * 1024 * 1024
    assert c.lastsave().timestamp() >= time.time() - 120
    persistence = c.info("persistence")
    assert persistence["rdb_bgsave_in_progress"] == 0
    assert persistence["rdb_last_bgsave_status"] == "ok"

    write_keys(c, 3000, 10)  # after the snapshot: only in the log
    node.kill()
    check = subprocess.run([BIN, "--check-log", node.workdir], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=60)
    out = check.stdout.decode(errors="replace")
    assert check.returncode == 0, out
    assert f"snapshot: index {info['raft_snapshot_index']}" in out, out
    assert "INCONSISTENT" not in out
    node.start()
    c = node.client()
    wait_until(lambda: c.info("raft").get("raft_role") == "leader", what="leadership")
    assert "Loaded the Raft snapshot" in node.log()
    info = raft_info(node)
    assert info["raft_snapshot_index"] > 0
    assert c.dbsize() == 3010
    for i in range(0, 3010, 7):
        assert c.get(f"key:{i}") == value_of(i).encode()


def test_save_bgsave_lastsave_and_debug_reload_in_raft_mode(tmp_path, procs):
    node = start_single(tmp_path, procs,
                        extra=["--raft-log-max-bytes", "1gb", "--enable-debug-command", "yes"])
    c = node.client()
    before = c.lastsave()
    write_keys(c, 0, 50)
    c.rpush("list", "a", "b", "c")
    c.zadd("zset", {"m": 1.5})
    assert c.info("persistence")["rdb_changes_since_last_save"] > 0
    assert c.save()
    info = raft_info(node)
    assert info["raft_snapshot_index"] == info["raft_applied_index"]
    assert c.info("persistence")["rdb_changes_since_last_save"] == 0
    assert c.lastsave() >= before
    rdbs, _ = snapshot_files(node)
    assert len(rdbs) == 1

    c.set("after-save", "1")
    assert c.bgsave() in (True, b"Background saving started", "Background saving started")
    wait_until(lambda: raft_info(node)["raft_snapshot_index"] == raft_info(node)
               ["raft_applied_index"] and c.info("persistence")["rdb_bgsave_in_progress"] == 0,
               timeout=20, what="the background snapshot")
    assert c.info("persistence")["rdb_last_bgsave_status"] == "ok"

    assert c.execute_command("DEBUG", "RELOAD") in (True, b"OK")
    assert c.dbsize() == 53
    assert c.lrange("list", 0, -1) == [b"a", b"b", b"c"]
    assert c.zscore("zset", "m") == 1.5
    assert c.get("after-save") == b"1"
    with pytest.raises(redis.ResponseError, match="only supports the MERGE, NOFLUSH and NOSAVE"):
        c.execute_command("DEBUG", "RELOAD", "BOGUS")


def test_volatile_save_writes_dump_rdb_and_debug_reload(tmp_path, procs):
    node = tr.Node(str(tmp_path / "volatile"), free_port(),
                   ["--raft-enabled", "no", "--enable-debug-command", "yes"])
    procs.append(node)
    node.start()
    c = node.client()
    c.set("a", "1")
    c.hset("h", mapping={"f": "v"})
    assert c.save()
    path = os.path.join(node.workdir, "dump.rdb")
    assert os.path.getsize(path) > 0
    c.set("b", "2")
    assert c.execute_command("DEBUG", "RELOAD") in (True, b"OK")
    assert c.get("b") == b"2" and c.hget("h", "f") == b"v"
    c.set("c", "3")
    c.bgsave()
    wait_until(lambda: c.info("persistence")["rdb_bgsave_in_progress"] == 0,
               what="the background save")
    assert c.info("persistence")["rdb_last_bgsave_status"] == "ok"
    check = subprocess.run(["redis-check-rdb", path], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=60)
    assert check.returncode == 0, check.stdout.decode(errors="replace")

    # As Redis, a volatile node loads dir/dbfilename when it starts (the BGSAVE's data).
    c.set("not-saved", "x")
    c.set("short-lived", "y", px=300)
    assert c.save()
    node.kill()
    time.sleep(0.4)  # time passes: "short-lived" expires before the load, which skips it
    node.start()
    assert "DB loaded from disk" in node.log()
    c = node.client()
    assert c.mget("a", "b", "c", "not-saved") == [b"1", b"2", b"3", b"x"]
    assert c.hget("h", "f") == b"v" and c.exists("short-lived") == 0
    assert c.dbsize() == 5

    # A damaged file stops the start, naming the file, rather than serving an empty dataset.
    node.kill()
    with open(path, "r+b") as f:
        f.truncate(os.path.getsize(path) - 20)
    proc = subprocess.run([BIN, "--port", str(node.port), "--bind", HOST, "--raft-enabled", "no",
                           "--dir", node.workdir], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, timeout=20, cwd=node.workdir)
    out = proc.stdout.decode(errors="replace")
    assert proc.returncode == 1, out
    assert "Fatal error loading the DB from " + path in out


@pytest.mark.skipif(shutil.which("redis-check-rdb") is None or
                    not os.path.exists("/usr/bin/redis-server"), reason="needs redis-tools")
def test_redis_tools_accept_a_snapshot_file(tmp_path, procs):
    node = start_single(tmp_path, procs)
    c = node.client()
    write_keys(c, 0, 200)
    c.hset("hash", mapping={"f1": "v1", "f2": "v2"})
    c.sadd("set", "x", "y", 7)
    c.xadd("stream", {"field": "value"})
    c.set("expiring", "soon", px=3_600_000)
    assert c.save()
    rdbs, _ = snapshot_files(node)
    check = subprocess.run(["redis-check-rdb", rdbs[0]], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=60)
    out = check.stdout.decode(errors="replace")
    assert check.returncode == 0, out
    assert "zakros-raft-index" in out

    copy = tmp_path / "redis"
    copy.mkdir()
    shutil.copy(rdbs[0], copy / "dump.rdb")
    port = free_port()
    proc = subprocess.Popen(["/usr/bin/redis-server", "--port", str(port), "--bind", HOST,
                             "--dir", str(copy), "--dbfilename", "dump.rdb", "--save", "",
                             "--appendonly", "no"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=str(copy))
    procs.append(proc)
    r = redis.Redis(host=HOST, port=port, socket_timeout=5)

    def loaded():
        try:
            return r.info("persistence")["loading"] == 0 and r.dbsize() > 0
        except redis.RedisError:
            return False
    wait_until(loaded, timeout=20, what="redis-server to load the snapshot")
    assert r.dbsize() == 204
    assert r.get("key:42") == value_of(42).encode()
    assert r.hgetall("hash") == {b"f1": b"v1", b"f2": b"v2"}
    assert r.smembers("set") == {b"x", b"y", b"7"}
    assert r.xlen("stream") == 1
    assert 0 < r.pttl("expiring") <= 3_600_000


@pytest.mark.parametrize("damage", ["flip", "truncate"])
def test_corrupted_snapshot_refuses_to_start_naming_the_file(tmp_path, procs, damage):
    node = start_single(tmp_path, procs)
    c = node.client()
    for batch in range(30):  # enough for the log's first segments to be deleted
        write_keys(c, batch * 100, 100)
    # SAVE answers Redis's error while an automatic snapshot is being written.
    wait_until(lambda: raft_info(node)["raft_snapshot_in_progress"] == 0,
               what="the automatic snapshot to finish")
    assert c.save()
    write_keys(c, 3000, 10)
    assert "%020d.seg" % 1 not in segments(node)
    node.kill()
    rdbs, _ = snapshot_files(node)
    with open(rdbs[0], "r+b") as f:
        if damage == "flip":
            f.seek(os.path.getsize(rdbs[0]) // 2)
            byte = f.read(1)
            f.seek(-1, os.SEEK_CUR)
            f.write(bytes([byte[0] ^ 0xff]))
        else:
            f.truncate(os.path.getsize(rdbs[0]) - 100)
    proc = subprocess.run([BIN, "--port", str(node.port), "--bind", HOST, "--dir", node.workdir],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=20,
                          cwd=node.workdir)
    out = proc.stdout.decode(errors="replace")
    assert proc.returncode == 1, out
    assert os.path.basename(rdbs[0]) in out
    assert ("checksum" if damage == "flip" else "metadata says") in out


def test_lagging_follower_catches_up_by_install_snapshot(tmp_path, procs):
    ports = [free_port() for _ in range(3)]
    addrs = " ".join(f"{HOST}:{p}" for p in ports)
    nodes = []
    for i, port in enumerate(ports):
        n = tr.Node(str(tmp_path / f"n{i}"), port,
                    ["--node-id", str(i), "--cluster-addrs", addrs] + THRESHOLD)
        procs.append(n)
        nodes.append(n)
    for n in nodes:
        n.start()
    leader = tr.leader_of(nodes)
    lc = leader.client()
    write_keys(lc, 0, 10)
    follower = next(n for n in nodes if n is not leader)
    fid = nodes.index(follower)
    wait_until(lambda: follower.client().info("raft")["raft_applied_index"] >=
               raft_info(leader)["raft_commit_index"], what="the follower to catch up")
    behind = raft_info(follower)["raft_last_index"]
    # Killed rather than SIGSTOPped: a stopped process keeps its connections, and the appends
    # queued in them would let it catch up without a snapshot.
    follower.kill()
    for batch in range(30):  # ~3 MB: the leader snapshots and compacts past the follower
        write_keys(lc, 10 + batch * 100, 100)
    wait_until(lambda: raft_info(leader)["raft_first_index"] > behind + 1 and
               raft_info(leader)["raft_snapshot_in_progress"] == 0,
               timeout=30, what="the leader to compact past the stopped follower")
    follower.start()
    target = raft_info(leader)["raft_commit_index"]
    wait_until(lambda: raft_info(follower)["raft_snapshots_received"] >= 1 and
               raft_info(follower)["raft_applied_index"] >= target,
               timeout=60, what="the follower to install the snapshot and catch up")
    assert "Installed the snapshot received from the leader" in follower.log()
    assert raft_info(leader)["raft_snapshots_sent"] >= 1
    # The log thread saves it in the background (before the follower acknowledges it): wait.
    wait_until(lambda: snapshot_files(follower, fid)[0], timeout=10,
               what="the received snapshot to be persisted")
    fc = follower.client()
    fc.execute_command("READONLY")
    assert fc.dbsize() == 3010
    for i in range(0, 3010, 13):
        assert fc.get(f"key:{i}") == value_of(i).encode()
    # A write after the catch-up reaches the follower through the log again.
    lc.set("after", "yes")
    wait_until(lambda: fc.get("after") == b"yes", what="a later write on the follower")
    # The received snapshot was persisted: a restarted follower starts from it.
    follower.kill()
    follower.start()
    assert "Loaded the Raft snapshot" in follower.log()
    fc = follower.client()
    fc.execute_command("READONLY")
    wait_until(lambda: fc.get("after") == b"yes", what="the restarted follower's data")
    assert fc.dbsize() == 3011


def test_memory_storage_snapshots_in_memory(tmp_path, procs):
    node = start_single(tmp_path, procs, name="memory", extra=["--raft-storage", "memory"])
    c = node.client()
    for batch in range(30):
        write_keys(c, batch * 100, 100)
    info = wait_until(lambda: (lambda i: i if i["raft_snapshots_taken"] >= 1 else None)(
        raft_info(node)), what="a snapshot in memory")
    assert info["raft_first_index"] == info["raft_snapshot_index"] + 1
    assert info["raft_snapshot_bytes"] > 1024 * 1024
    assert not os.path.exists(os.path.join(node.workdir, "node-0"))
    assert c.save()
    assert c.dbsize() == 3000
    assert c.get("key:2999") == value_of(2999).encode()



def aux_fields(rdb_path):
    """The aux fields of an RDB file, as Debian's redis-check-rdb reads them."""
    out = subprocess.run(["redis-check-rdb", rdb_path], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, timeout=60, check=True).stdout.decode()
    fields = {}
    for line in out.splitlines():
        if "AUX FIELD " in line:
            name, _, value = line.split("AUX FIELD ", 1)[1].partition(" = ")
            fields[name] = value.strip("'")
    return fields


def test_watch_record_survives_a_restart_from_the_snapshot(tmp_path, procs):
    """The WATCH modification record (which decides EXECs at apply time, the same way on every
    node) travels in the snapshot's zakros-watch-record field: a node restarted from it must go
    on with the very same record. Checked by writing a second snapshot after the restart, which
    must hold the first one's record plus the one modification made since."""
    node = start_single(tmp_path, procs)
    c = node.client()
    for key in ("a", "b", "c"):
        c.set(key, "1")
    assert c.save()
    first = aux_fields(snapshot_files(node)[0][-1])["zakros-watch-record"].split()
    assert len(first) == 1 + 3  # the record's start, then a, b and c
    node.kill()
    node.start()
    assert "Loaded the Raft snapshot" in node.log()
    c = node.client()
    c.set("d", "1")
    assert c.save()
    second = aux_fields(snapshot_files(node)[0][-1])["zakros-watch-record"].split()
    assert second[:4] == first
    assert len(second) == 5 and second[4].split(":")[1] not in {w.split(":")[1] for w in first[1:]}
    # The same key modified again is recorded under the same id.
    c.set("a", "2")
    assert c.save()
    third = aux_fields(snapshot_files(node)[0][-1])["zakros-watch-record"].split()
    assert third[-1].split(":")[1] == first[1].split(":")[1]
