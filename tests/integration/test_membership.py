"""Membership changes and leadership transfer at run time, with real processes: RAFT.NODE ADD of a
node started with raft-join while a client writes, REMOVE of a follower and of the leader,
restarts after the change, RAFT.TRANSFER_LEADER, and the errors for bad requests.

Every acknowledged write of the background writer is read back at the end: a membership change
must never lose one. Servers run in their own directories under tmp_path and are killed by PID
(the `nodes` fixture of test_raft.py). Waits poll with a deadline.
"""

import re
import threading
import time

import pytest
import redis

from test_raft import Node, leader_of, make_cluster, nodes  # noqa: F401 (nodes is a fixture)
from zakros_testlib import HOST, SERVER_KIND, free_port, wait_until

pytestmark = pytest.mark.skipif(SERVER_KIND != "zakros", reason="zakros's own replication")

_MOVED = re.compile(r"MOVED \d+ (\S+):(\d+)")


def raft_info(node):
    try:
        return node.client().info("raft")
    except redis.RedisError:
        return {}


def on_leader(cluster, *command, timeout=15.0):
    """Sends `command` to the current leader, retrying while there is none or a change is still
    in progress (TRYAGAIN). Returns the reply; other errors are raised."""
    def attempt():
        leader = leader_of([n for n in cluster if n.proc.poll() is None], timeout=timeout)
        try:
            return ("ok", leader.client().execute_command(*command))
        except redis.ResponseError as e:
            text = str(e)
            if text.startswith(("TRYAGAIN", "CLUSTERDOWN", "MOVED")):
                return None
            return ("error", e)
        except redis.ConnectionError:
            return None
    kind, value = wait_until(attempt, timeout=timeout, what=f"{command} on the leader")
    if kind == "error":
        raise value
    return value


class Writer(threading.Thread):
    """Writes k<i> = <i> in a loop (until stopped or its deadline), following MOVED and trying
    the other nodes while there is no leader; remembers the writes that were acknowledged."""

    def __init__(self, ports, deadline_s=120.0):
        super().__init__(daemon=True)
        self.ports = list(ports)
        self.target = self.ports[0]
        self.acked = {}
        self.uncertain = 0
        self.stop = threading.Event()
        self.deadline = time.monotonic() + deadline_s
        self.clients = {}
        self.error = None
        self.first_key = None

    def client(self, port):
        if port not in self.clients:
            self.clients[port] = redis.Redis(host=HOST, port=port, socket_timeout=5)
        return self.clients[port]

    def next_port(self):
        ports = list(self.ports)  # the test changes the list meanwhile
        at = ports.index(self.target) + 1 if self.target in ports else 0
        self.target = ports[at % len(ports)]

    def run(self):
        try:
            self.write_until_stopped()
        except Exception as e:  # reported by finish(), in the test's thread
            self.error = e

    def write_until_stopped(self):
        i = 0
        while not self.stop.is_set() and time.monotonic() < self.deadline:
            i += 1
            key = f"k{i}"
            try:
                if self.client(self.target).set(key, str(i)):
                    self.acked[key] = str(i).encode()
                    self.first_key = self.first_key or key
                continue
            except redis.ResponseError as e:
                text = str(e)
                moved = _MOVED.match(text)
                if moved:
                    self.target = int(moved.group(2))
                    continue
                if text.startswith("UNCERTAIN"):
                    self.uncertain += 1
                elif not text.startswith(("CLUSTERDOWN", "TRYAGAIN")):
                    raise
            except (redis.ConnectionError, redis.TimeoutError):
                self.clients.pop(self.target, None)
                self.next_port()
            time.sleep(0.01)  # back off before the retry; not a synchronisation

    def count(self):
        return len(self.acked)

    def finish(self):
        self.stop.set()
        self.join(timeout=30)
        assert not self.is_alive()
        assert self.error is None, f"the writer failed: {self.error!r}"


def assert_all_acked_present(cluster, writer):
    leader = leader_of([n for n in cluster if n.proc.poll() is None])
    c = leader.client()
    keys = list(writer.acked)
    values = []
    for start in range(0, len(keys), 500):
        values += c.mget(keys[start:start + 500])
    lost = [k for k, v in zip(keys, values) if v != writer.acked[k]]
    assert lost == [], f"{len(lost)} acknowledged writes lost, e.g. {lost[:5]}"


def join_node(tmp_path, cluster, node_id, cluster_id):
    """Starts a brand-new node that joins (raft-join) the cluster whose nodes are `cluster`."""
    port = free_port()
    addrs = " ".join(f"{HOST}:{n.port}" for n in cluster) + f" {HOST}:{port}"
    node = Node(str(tmp_path / f"n{node_id}"), port,
                ["--node-id", str(node_id), "--cluster-addrs", addrs, "--raft-join", "yes",
                 "--raft-cluster-id", cluster_id])
    return node


def test_add_a_node_under_writes_remove_a_follower_then_restart_everything(tmp_path, nodes):
    make_cluster(tmp_path, nodes, 3)
    leader = leader_of(nodes)
    cluster_id = raft_info(leader)["raft_cluster_id"]
    writer = Writer([n.port for n in nodes])
    writer.start()
    try:
        wait_until(lambda: writer.count() >= 50, timeout=20, what="the first writes")

        new = join_node(tmp_path, nodes, 3, cluster_id)
        nodes.append(new)
        new.start()
        info = raft_info(new)
        assert info["raft_members"] == 0 and info["raft_role"] == "follower"

        assert on_leader(nodes, "RAFT.NODE", "ADD", "3", f"{HOST}:{new.port}") == b"OK"
        wait_until(lambda: raft_info(new).get("raft_is_voter") == 1, timeout=20,
                   what="node 3 to be promoted to voter")
        wait_until(lambda: raft_info(leader_of(nodes)).get("raft_voters") == 4, timeout=10,
                   what="the leader to count 4 voters")
        # The new node describes the 4-node cluster (itself included) as cluster clients expect.
        lines = new.client().execute_command("CLUSTER", "NODES").decode().splitlines()
        assert len(lines) == 4 and any("myself," in ln and f":{new.port}@" in ln for ln in lines)
        # Node 3 has the data: a stale read on it shows a write acknowledged before it joined.
        reader = new.client()
        assert reader.execute_command("READONLY")
        assert reader.get(writer.first_key) == writer.acked[writer.first_key]
        writes_before_remove = writer.count()

        # Remove a follower other than the new node.
        leader = leader_of(nodes)
        victim = next(n for n in nodes[:3] if n is not leader)
        victim_id = nodes.index(victim)
        assert on_leader(nodes, "RAFT.NODE", "REMOVE", str(victim_id)) == b"OK"
        wait_until(lambda: raft_info(leader_of(nodes)).get("raft_members") == 3, timeout=10,
                   what="3 members after the removal")
        victim.kill()
        writer.ports = [n.port for n in nodes if n is not victim]
        wait_until(lambda: writer.count() >= writes_before_remove + 50, timeout=20,
                   what="writes to continue after the removal")
    finally:
        writer.finish()
    assert writer.count() > 100
    assert_all_acked_present(nodes, writer)

    # Membership survives a restart of every node (the log is authoritative over cluster-addrs).
    survivors = [n for n in nodes if n is not victim]
    for n in survivors:
        n.kill()
    # An operator lists the new member in one original node's cluster-addrs: that changes neither
    # its membership (the log's) nor its cluster id (stored at the first start).
    original = survivors[0]
    at = original.extra.index("--cluster-addrs") + 1
    original.extra[at] += f" {HOST}:{new.port}"
    for n in survivors:
        n.start()
    leader = leader_of(survivors, timeout=20)
    for n in survivors:
        wait_until(lambda: raft_info(n).get("raft_members") == 3 and
                   raft_info(n).get("raft_voters") == 3, timeout=20,
                   what=f"node on port {n.port} to see 3 voters after the restart")
    peers = {k for k in raft_info(leader) if k.startswith("raft_peer")}
    assert f"raft_peer{victim_id}" not in peers and len(peers) == 2
    with open(f"{original.workdir}/server.log", errors="replace") as f:
        text = f.read()
    assert "the log is authoritative" in text and "the stored id is kept" in text
    assert on_leader(survivors, "SET", "after-restart", "yes") is True
    # Every survivor, the one with the longer cluster-addrs included, replicates it.
    target = raft_info(leader_of(survivors))["raft_commit_index"]
    for n in survivors:
        wait_until(lambda: raft_info(n).get("raft_applied_index", 0) >= target, timeout=20,
                   what=f"node on port {n.port} to apply the write made after the restart")
    assert_all_acked_present(survivors, writer)


def test_membership_churn_under_writes_loses_nothing(tmp_path, nodes):
    """Adds, removes (the leader too) and transfers one after the other while a client writes:
    every acknowledged write survives, and the cluster ends with the expected members."""
    make_cluster(tmp_path, nodes, 3)
    cluster_id = raft_info(leader_of(nodes))["raft_cluster_id"]
    writer = Writer([n.port for n in nodes])
    writer.start()

    def live():
        return [n for n in nodes if n.proc.poll() is None]

    def progress():
        count = writer.count()
        wait_until(lambda: writer.count() >= count + 20, timeout=20, what="writes to continue")

    def add(node_id):
        new = join_node(tmp_path, nodes, node_id, cluster_id)
        nodes.append(new)
        new.start()
        writer.ports.append(new.port)
        assert on_leader(live(), "RAFT.NODE", "ADD", str(node_id), f"{HOST}:{new.port}") == b"OK"
        wait_until(lambda: raft_info(new).get("raft_is_voter") == 1, timeout=20,
                   what=f"node {node_id} to become a voter")
        return new

    def remove(node):
        node_id = nodes.index(node)
        assert on_leader(live(), "RAFT.NODE", "REMOVE", str(node_id)) == b"OK"
        wait_until(lambda: raft_info(leader_of([n for n in live() if n is not node]))
                   .get("raft_members") == 3, timeout=20, what=f"node {node_id} to be gone")
        node.kill()
        writer.ports.remove(node.port)

    try:
        progress()
        add(3)
        progress()
        remove(leader_of(live()))  # the leader removes itself
        progress()
        n3 = nodes[3]
        assert on_leader(live(), "RAFT.TRANSFER_LEADER", "3") == b"OK"
        wait_until(lambda: n3.role() == "leader", timeout=10, what="node 3 to lead")
        progress()
        add(4)
        progress()
        remove(n3)  # the leader again, after a transfer
        progress()
    finally:
        writer.finish()
    assert_all_acked_present(live(), writer)
    ids = sorted(raft_info(n)["raft_node_id"] for n in live())
    assert len(ids) == 3 and 4 in ids and 3 not in ids
    for n in live():
        wait_until(lambda: raft_info(n).get("raft_voters") == 3, timeout=10,
                   what=f"node on port {n.port} to see 3 voters")


def test_transfer_leader_moves_leadership_and_writes_continue(tmp_path, nodes):
    make_cluster(tmp_path, nodes, 3)
    old = leader_of(nodes)
    writer = Writer([n.port for n in nodes])
    writer.start()
    try:
        wait_until(lambda: writer.count() >= 30, timeout=20, what="the first writes")
        target = next(n for n in nodes if n is not old)
        target_id = nodes.index(target)
        started = time.monotonic()
        assert old.client().execute_command("RAFT.TRANSFER_LEADER", str(target_id)) == b"OK"
        wait_until(lambda: target.role() == "leader", timeout=5, what="the target to lead")
        assert time.monotonic() - started < 5
        assert raft_info(old)["raft_leader_id"] == target_id
        count = writer.count()
        wait_until(lambda: writer.count() >= count + 30, timeout=20,
                   what="writes to continue on the new leader")

        # Without an id: the most caught-up other voter takes over.
        assert target.client().execute_command("RAFT.TRANSFER_LEADER") == b"OK"
        wait_until(lambda: leader_of(nodes) is not target, timeout=10,
                   what="leadership to leave the previous target")
        count = writer.count()
        wait_until(lambda: writer.count() >= count + 30, timeout=20,
                   what="writes to continue after the second transfer")
    finally:
        writer.finish()
    assert_all_acked_present(nodes, writer)


def test_cluster_failover_on_a_follower_makes_it_the_leader(tmp_path, nodes):
    make_cluster(tmp_path, nodes, 3)
    old = leader_of(nodes)
    with pytest.raises(redis.ResponseError, match="You should send CLUSTER FAILOVER to a replica"):
        old.client().execute_command("CLUSTER", "FAILOVER")
    writer = Writer([n.port for n in nodes])
    writer.start()
    try:
        wait_until(lambda: writer.count() >= 30, timeout=20, what="the first writes")
        target = next(n for n in nodes if n is not old)
        tc = target.client()
        with pytest.raises(redis.ResponseError, match="syntax error"):
            tc.execute_command("CLUSTER", "FAILOVER", "SOON")
        assert tc.execute_command("CLUSTER", "FAILOVER") == b"OK"
        wait_until(lambda: target.role() == "leader", timeout=5, what="the follower to lead")
        assert raft_info(old)["raft_leader_id"] == nodes.index(target)
        count = writer.count()
        wait_until(lambda: writer.count() >= count + 30, timeout=20,
                   what="writes to continue on the new leader")
        # FORCE does the same (a Raft leader only changes by an election the majority joins).
        other = next(n for n in nodes if n is not target)
        assert other.client().execute_command("CLUSTER", "FAILOVER", "force") == b"OK"
        wait_until(lambda: other.role() == "leader", timeout=5, what="the second follower to lead")
    finally:
        writer.finish()
    assert_all_acked_present(nodes, writer)


def test_removing_the_leader_hands_leadership_over(tmp_path, nodes):
    make_cluster(tmp_path, nodes, 3)
    old = leader_of(nodes)
    old_id = nodes.index(old)
    for i in range(20):
        assert old.client().set(f"before{i}", i)
    assert old.client().execute_command("RAFT.NODE", "REMOVE", str(old_id)) == b"OK"
    others = [n for n in nodes if n is not old]
    new = leader_of(others, timeout=10)
    info = raft_info(new)
    assert info["raft_members"] == 2 and info["raft_voters"] == 2
    assert new.client().set("after", "yes")
    assert new.client().get("before19") == b"19"
    # The removed node no longer votes nor campaigns (it may not even learn of its removal).
    old.kill()

    # Down to one voter, which can't be removed.
    follower = next(n for n in others if n is not new)
    assert on_leader(others, "RAFT.NODE", "REMOVE", str(nodes.index(follower))) == b"OK"
    follower.kill()
    with pytest.raises(redis.ResponseError, match="last voter"):
        on_leader([new], "RAFT.NODE", "REMOVE", str(nodes.index(new)))
    assert new.client().set("alone", "yes")  # a one-voter cluster commits on its own


def test_a_learner_that_never_catches_up_stays_a_learner_and_can_be_removed(tmp_path, nodes):
    make_cluster(tmp_path, nodes, 3)
    leader = leader_of(nodes)
    absent_port = free_port()  # nothing listens there: the learner never acknowledges
    assert leader.client().execute_command("RAFT.NODE", "ADD", "5",
                                           f"{HOST}:{absent_port}") == b"OK"
    info = raft_info(leader)
    assert info["raft_members"] == 4 and info["raft_voters"] == 3 and info["raft_learners"] == 1
    assert info["raft_peer5"]["role"] == "learner"
    # Learners are listed as replicas; followers know the learner's address too.
    follower = next(n for n in nodes if n is not leader)
    wait_until(lambda: f"{HOST}:{absent_port}" in
               follower.client().execute_command("CLUSTER", "NODES").decode(),
               timeout=10, what="the follower to list the learner")
    line = next(ln for ln in leader.client().execute_command("CLUSTER", "NODES").decode()
                .splitlines() if f"{HOST}:{absent_port}" in ln)
    assert " slave " in line
    # It does not count towards the quorum: writes still commit, and it is never promoted.
    for i in range(40):
        assert leader.client().set(f"x{i}", i)
    assert raft_info(leader)["raft_learners"] == 1
    assert leader.client().execute_command("RAFT.NODE", "REMOVE", "5") == b"OK"
    info = raft_info(leader)
    assert info["raft_members"] == 3 and "raft_peer5" not in info


def test_transfer_to_a_dead_voter_fails_and_blocks_changes_meanwhile(tmp_path, nodes):
    # A longer election timeout keeps the doomed transfer running long enough to be observed
    # (the core abandons it after one election timeout). The later option wins.
    ports = [free_port() for _ in range(3)]
    addrs = " ".join(f"{HOST}:{p}" for p in ports)
    for i, port in enumerate(ports):
        nodes.append(Node(str(tmp_path / f"n{i}"), port,
                          ["--node-id", str(i), "--cluster-addrs", addrs,
                           "--raft-election-timeout", "1500"]))
    for n in nodes:
        n.start()
    leader = leader_of(nodes)
    dead = next(n for n in nodes if n is not leader)
    dead.kill()
    pending = leader.client().connection_pool.get_connection("RAFT.TRANSFER_LEADER")
    try:
        pending.send_command("RAFT.TRANSFER_LEADER", str(nodes.index(dead)))
        wait_until(lambda: raft_info(leader)["raft_transfer_target"] == nodes.index(dead),
                   timeout=5, what="the transfer to start")
        # While the transfer runs, other changes are refused without being made.
        with pytest.raises(redis.ResponseError, match="^TRYAGAIN"):
            leader.client().execute_command("RAFT.NODE", "REMOVE", str(nodes.index(dead)))
        # The core abandons the transfer after an election timeout; the client is told.
        with pytest.raises(redis.ResponseError, match="abandoned|timed out"):
            pending.read_response()
    finally:
        pending.disconnect()
    assert leader.role() == "leader"
    assert leader.client().set("still", "writable")
    assert raft_info(leader)["raft_members"] == 3


def test_membership_commands_validate_their_arguments(tmp_path, nodes):
    make_cluster(tmp_path, nodes, 3)
    leader = leader_of(nodes)
    lid = nodes.index(leader)
    follower = next(n for n in nodes if n is not leader)
    c = leader.client()

    def error(*command, client=c):
        with pytest.raises(redis.ResponseError) as e:
            client.execute_command(*command)
        return str(e.value)

    assert error("RAFT.NODE", "ADD", "abc", f"{HOST}:1").startswith("invalid node id 'abc'")
    assert error("RAFT.NODE", "ADD", "-1", f"{HOST}:1").startswith("invalid node id")
    assert error("RAFT.NODE", "ADD", "7", "nohost").startswith("invalid address 'nohost'")
    assert error("RAFT.NODE", "ADD", "7", f"{HOST}:70000").startswith("invalid address")
    assert error("RAFT.NODE", "ADD", str(lid), f"{HOST}:1") == f"node {lid} is already a member"
    assert error("RAFT.NODE", "ADD", "7", f"{HOST}:{follower.port}").startswith(
        f"address {HOST}:{follower.port} is already used by node")
    assert error("RAFT.NODE", "REMOVE", "9") == "unknown node 9"
    assert error("RAFT.NODE", "ADD", "7").startswith("wrong number of arguments")
    assert error("RAFT.NODE", "FROB").startswith("unknown subcommand")
    assert error("RAFT.TRANSFER_LEADER", "9") == "unknown node 9"
    assert error("RAFT.TRANSFER_LEADER", "1", "2").startswith("wrong number of arguments")
    assert c.execute_command("RAFT.TRANSFER_LEADER", str(lid)) == b"OK"  # already leads
    # Followers redirect to the leader, as for other keyless commands.
    assert error("RAFT.NODE", "REMOVE", "1", client=follower.client()) == \
        f"MOVED 0 {HOST}:{leader.port}"
    # Nothing above changed the membership.
    assert raft_info(leader)["raft_members"] == 3
    info = c.execute_command("RAFT.INFO")
    assert b"raft_members:3" in (info if isinstance(info, bytes) else str(info).encode())
    # The table knows the commands (COMMAND INFO; MULTI refuses them).
    table = c.execute_command("COMMAND", "INFO", "raft.transfer_leader", "raft.node")
    assert table["raft.transfer_leader"]["arity"] == -1
    assert "admin" in table["raft.transfer_leader"]["flags"]
    assert {str(s[0], "utf-8") if isinstance(s[0], bytes) else s[0]
            for s in table["raft.node"]["subcommands"]} >= {"raft.node|add", "raft.node|remove"}
    p = c.pipeline(transaction=True)
    p.execute_command("RAFT.NODE", "REMOVE", "1")
    with pytest.raises(redis.ResponseError):
        p.execute()


def test_a_joined_members_address_survives_snapshots_and_restarts(tmp_path, nodes):
    """The address of a node added at run time lives in a kMembers log entry; once a snapshot
    has compacted that entry away, the snapshot's zakros-raft-members aux field carries it."""
    # 1 MB of log per snapshot: 256 KB segments, so compaction deletes the one with the entry.
    make_cluster(tmp_path, nodes, 3, ["--raft-log-max-bytes", "1mb"])
    leader = leader_of(nodes)
    cluster_id = raft_info(leader)["raft_cluster_id"]
    new = join_node(tmp_path, nodes, 3, cluster_id)
    nodes.append(new)
    new.start()
    assert on_leader(nodes, "RAFT.NODE", "ADD", "3", f"{HOST}:{new.port}") == b"OK"
    wait_until(lambda: raft_info(new).get("raft_is_voter") == 1, timeout=20,
               what="node 3 to be promoted to voter")
    members_entry = raft_info(leader_of(nodes))["raft_commit_index"]
    for i in range(150):
        assert on_leader(nodes, "SET", f"k{i}", "x" * 10000) is True
    target = raft_info(leader_of(nodes))["raft_commit_index"]
    for n in nodes:
        wait_until(lambda: raft_info(n).get("raft_applied_index", 0) >= target, timeout=20,
                   what="every node to apply the write")
        assert n.client().execute_command("SAVE") is True
        info = raft_info(n)
        assert info["raft_first_index"] > members_entry and info["raft_snapshot_index"] >= target
    original = nodes[0]
    for n in nodes:
        n.kill()
    for n in nodes[:3]:
        n.start()
    # Node 0 was started with the original three-node cluster-addrs, its log no longer holds the
    # entry, and node 3 is down (so it cannot tell its address): only the snapshot can.
    assert raft_info(original)["raft_first_index"] > members_entry
    assert raft_info(original)["raft_peer3"]["addr"] == f"{HOST}:{new.port}"
    new.start()
    leader = leader_of(nodes, timeout=20)
    assert on_leader(nodes, "SET", "after", "1") is True
    target = raft_info(leader)["raft_commit_index"]
    wait_until(lambda: raft_info(new).get("raft_applied_index", 0) >= target, timeout=20,
               what="node 3 to replicate a write made after the restart")
