"""Peers prove who they are: the handshake's challenge-response keyed with masterauth
(src/raft/transport/peer_transport.h), with real processes and raw sockets.

A 3-node cluster with requirepass and masterauth elects a leader and replicates. Connections that
claim to be a node without proving it (a wrong secret, the old unauthenticated handshake, a
replayed proof, a proof made for another node id) are closed before the heartbeat they carry is
decoded, so the leader keeps its term. The node that dials checks the accepting node's proof
too, a node with another masterauth never joins, and a cluster node with requirepass but no
masterauth refuses to start.

The tests compute proofs themselves (they know the secret) to build each forgery from a proof
that would be valid in another context; one test shows such a valid proof is believed, so the
refusals are not an accident of a malformed message. Nodes run in their own directories under
tmp_path and are killed by PID (the `nodes` fixture of test_raft.py). Waits poll with a
deadline.
"""

import hashlib
import hmac
import os
import re
import socket
import struct
import subprocess

import pytest
import redis

from test_raft import Node, leader_of, nodes  # noqa: F401 (nodes is a fixture)
from zakros_testlib import BIN, HOST, SERVER_KIND, RawConn, free_port, wait_until

pytestmark = pytest.mark.skipif(SERVER_KIND != "zakros", reason="zakros's own replication")

PASSWORD = "client-password"
SECRET = b"peer-secret"
# Longer than test_raft's 300 ms: a test here asserts that the leader's term does not change,
# which a spontaneous election on a loaded 2-core machine must not break.
ELECTION = ["--raft-election-timeout", "1500", "--raft-heartbeat-interval", "50"]
HEARTBEAT = 6  # raft::MessageType::kHeartbeat


class AuthNode(Node):
    """A test_raft Node whose clients authenticate with PASSWORD."""

    def client(self, **kw):
        return redis.Redis(host=HOST, port=self.port, socket_timeout=5, password=PASSWORD, **kw)

    def _accepts(self):
        if self.proc.poll() is not None:
            raise AssertionError(f"node exited with {self.proc.returncode}:\n{self.log()}")
        try:
            self.client().ping()
            return True
        except redis.RedisError:
            return False

    def full_log(self):
        with open(os.path.join(self.workdir, "server.log"), errors="replace") as f:
            return f.read()

    def raft(self):
        return self.client().info("raft")


def start_cluster(tmp_path, nodes, secrets=(SECRET, SECRET, SECRET), ports=None):
    ports = ports or [free_port() for _ in secrets]
    addrs = " ".join(f"{HOST}:{p}" for p in ports)
    started = []
    for i, secret in enumerate(secrets):
        if secret is None:
            continue  # a stand-in listens there (the test's own socket)
        n = AuthNode(str(tmp_path / f"n{i}"), ports[i],
                     ["--node-id", str(i), "--cluster-addrs", addrs, "--requirepass", PASSWORD,
                      "--masterauth", secret.decode(), *ELECTION])
        nodes.append(n)
        started.append(n)
    for n in started:
        n.start()
    return started


# ---- the handshake, as peer_transport.h documents it ----

def proof(role, secret, cluster_id, dialer, acceptor, nonce_d, nonce_a, user=b"", address=b""):
    def field(b):
        return struct.pack("<I", len(b)) + b
    data = (b"ZAKROS-PEER-AUTH 2\0" + role + field(cluster_id)
            + struct.pack("<QQ", dialer, acceptor)
            + field(user) + field(nonce_d) + field(nonce_a) + field(address))
    return hmac.new(secret, data, hashlib.sha256).digest()


def hello_v2(cluster_id, dialer, acceptor, nonce_d):
    return b"*ZAKROS-PEER 2 %s %d %d %s\r\n" % (cluster_id, dialer, acceptor,
                                                nonce_d.hex().encode())


def heartbeat_frame(dialer, acceptor, term):
    """One length-prefixed raft::Message frame (src/raft/transport/codec.h): a heartbeat of `term`."""
    body = (struct.pack("<BB", 1, HEARTBEAT)
            + struct.pack("<8Q", dialer, acceptor, term, 0, 0, 0, 0, 0) + struct.pack("<BI", 0, 0))
    return struct.pack("<I", len(body)) + body


def parse_challenge(line):
    m = re.fullmatch(rb"\+ZAKROS-PEER ([0-9a-f]{64}) ([0-9a-f]{64})", line)
    assert m, line
    return bytes.fromhex(m.group(1).decode()), bytes.fromhex(m.group(2).decode())


class Target:
    """The leader under attack: its port, id, cluster id and term at the start."""

    def __init__(self, leader):
        info = leader.raft()
        self.node = leader
        self.id = int(info["raft_node_id"])
        # From the file, not INFO: redis-py would turn an all-digit hex id into an int.
        with open(os.path.join(leader.workdir, f"node-{self.id}", "cluster-id"), "rb") as f:
            self.cluster_id = f.read().strip()
        self.term = int(info["raft_term"])

    def other_id(self, k=0):
        return [i for i in range(3) if i != self.id][k]

    def dial(self):
        conn = RawConn(self.node.port)
        conn.addr = "%s:%d" % conn.sock.getsockname()
        return conn

    def challenge(self, conn, dialer, nonce_d):
        conn.send(hello_v2(self.cluster_id, dialer, self.id, nonce_d))
        return parse_challenge(conn.read_line())

    def keeps_its_term(self):
        info = self.node.raft()
        assert info["raft_role"] == "leader", info
        assert int(info["raft_term"]) == self.term, info

    def refused(self, conn, text):
        """Waits for the leader's log line refusing `conn` (it names the peer's address)."""
        pattern = f"Refused a peer connection from {conn.addr}"
        wait_until(lambda: any(pattern in line and text in line
                               for line in self.node.full_log().splitlines()),
                   what=f"the refusal of {conn.addr} ({text}) in the log")


@pytest.fixture
def cluster(tmp_path, nodes):
    start_cluster(tmp_path, nodes)
    return nodes


def test_cluster_with_masterauth_elects_and_replicates(cluster):
    leader = leader_of(cluster)
    assert leader.client().set("k", "v")
    for n in cluster:
        c = n.client()
        c.execute_command("READONLY")
        wait_until(lambda: c.get("k") == b"v", what=f"the write on node {n.port}")
    info = leader.raft()
    peers = [v for k, v in info.items() if k.startswith("raft_peer")]
    assert len(peers) == 2 and all(p["connected"] == 1 for p in peers), info
    for n in cluster:
        wait_until(lambda: "(authenticated with masterauth)" in n.full_log(),
                   what="an authenticated peer connection in the log")
        assert SECRET.decode() not in n.full_log()


def test_wrong_secret_is_refused_and_the_leader_keeps_its_term(cluster):
    target = Target(leader_of(cluster))
    me, nonce_d = target.other_id(), os.urandom(32)
    with target.dial() as conn:
        nonce_a, their_proof = target.challenge(conn, me, nonce_d)
        # Mutual: the leader proved it knows the secret before we proved anything.
        assert hmac.compare_digest(their_proof, proof(b"A", SECRET, target.cluster_id, me,
                                                      target.id, nonce_d, nonce_a))
        bad = proof(b"D", b"not-the-secret", target.cluster_id, me, target.id, nonce_d, nonce_a)
        conn.send(b"PROOF " + bad.hex().encode() + b"\r\n" +
                  heartbeat_frame(me, target.id, target.term + 1000))
        conn.expect_closed()
        target.refused(conn, "its proof of masterauth is wrong")
    target.keeps_its_term()


def test_old_handshake_without_secret_is_refused(cluster):
    target = Target(leader_of(cluster))
    me = target.other_id()
    with target.dial() as conn:
        conn.send(b"*ZAKROS-PEER 1 %s %d %d\r\n" % (target.cluster_id, me, target.id) +
                  heartbeat_frame(me, target.id, target.term + 1000))
        assert conn.expect_closed() == b""  # no challenge either
        target.refused(conn, "it did not authenticate")
    target.keeps_its_term()


def test_replayed_proof_is_refused(cluster):
    target = Target(leader_of(cluster))
    me, nonce_d = target.other_id(), os.urandom(32)
    # A legitimate exchange (we know the secret): this proof is accepted on its connection...
    with target.dial() as first:
        nonce_a, _ = target.challenge(first, me, nonce_d)
        good = proof(b"D", SECRET, target.cluster_id, me, target.id, nonce_d, nonce_a)
        first.send(b"PROOF " + good.hex().encode() + b"\r\n")
        wait_until(lambda: f"Peer node {me} connected from {first.addr} (authenticated" in
                   target.node.full_log(), what="the first connection accepted")
        # ...and replayed word for word on a new one, which gets a fresh nonce.
        with target.dial() as second:
            nonce_a2, _ = target.challenge(second, me, nonce_d)
            assert nonce_a2 != nonce_a
            second.send(b"PROOF " + good.hex().encode() + b"\r\n" +
                        heartbeat_frame(me, target.id, target.term + 1000))
            second.expect_closed()
            target.refused(second, "its proof of masterauth is wrong")
    target.keeps_its_term()


def test_proof_for_another_node_id_is_refused(cluster):
    target = Target(leader_of(cluster))
    real, claimed = target.other_id(0), target.other_id(1)
    nonce_d = os.urandom(32)
    with target.dial() as conn:
        nonce_a, _ = target.challenge(conn, claimed, nonce_d)
        made_for_real = proof(b"D", SECRET, target.cluster_id, real, target.id, nonce_d, nonce_a)
        conn.send(b"PROOF " + made_for_real.hex().encode() + b"\r\n" +
                  heartbeat_frame(claimed, target.id, target.term + 1000))
        conn.expect_closed()
        target.refused(conn, "its proof of masterauth is wrong")
    target.keeps_its_term()


def test_the_acceptors_proof_is_not_reflected_as_the_dialers(cluster):
    target = Target(leader_of(cluster))
    me, nonce_d = target.other_id(), os.urandom(32)
    with target.dial() as conn:
        _, their_proof = target.challenge(conn, me, nonce_d)
        conn.send(b"PROOF " + their_proof.hex().encode() + b"\r\n" +
                  heartbeat_frame(me, target.id, target.term + 1000))
        conn.expect_closed()
        target.refused(conn, "its proof of masterauth is wrong")
    target.keeps_its_term()


def test_refusals_are_rate_limited_and_counted(cluster):
    target = Target(leader_of(cluster))
    me = target.other_id()
    for _ in range(40):
        with target.dial() as conn:
            conn.send(b"*ZAKROS-PEER 1 %s %d %d\r\n" % (target.cluster_id, me, target.id))
            conn.expect_closed()
    counted = re.compile(r"(\d+) more (like it not logged|peer handshake failures? "
                         r"\(no proof of masterauth\) not logged)")

    def logged_and_counted():
        log = target.node.full_log()
        lines = sum(1 for line in log.splitlines() if "it did not authenticate" in line)
        return lines, sum(int(m.group(1)) for m in counted.finditer(log))

    # The last ones are counted once their second has passed.
    wait_until(lambda: sum(logged_and_counted()) == 40, what="every refusal logged or counted")
    lines, suppressed = logged_and_counted()
    assert lines < 40 and suppressed > 0, (lines, suppressed)
    target.keeps_its_term()


def test_a_proof_with_the_secret_is_believed(cluster):
    """The control of the tests above: the same heartbeat behind a valid proof is decoded, and
    its term (1000 ahead) makes the leader step down, as the unauthenticated one once did."""
    target = Target(leader_of(cluster))
    me, nonce_d = target.other_id(), os.urandom(32)
    with target.dial() as conn:
        nonce_a, _ = target.challenge(conn, me, nonce_d)
        good = proof(b"D", SECRET, target.cluster_id, me, target.id, nonce_d, nonce_a)
        conn.send(b"PROOF " + good.hex().encode() + b"\r\n" +
                  heartbeat_frame(me, target.id, target.term + 1000))
        wait_until(lambda: int(target.node.raft()["raft_term"]) >= target.term + 1000,
                   what="the leader to adopt the heartbeat's term")


def test_dialer_checks_the_acceptors_proof(tmp_path, nodes):
    """Node 2's address is our socket: the real nodes dial it. Answered with a proof made with
    the wrong secret, a node closes without proving anything or sending a message; answered
    with the right one, it sends its proof and counts the link as up."""
    ports = [free_port() for _ in range(3)]
    fake = socket.socket()
    fake.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    fake.bind((HOST, ports[2]))
    fake.listen(8)
    fake.settimeout(20)
    try:
        start_cluster(tmp_path, nodes, secrets=(SECRET, SECRET, None), ports=ports)

        def answer(secret):
            sock, _ = fake.accept()
            sock.settimeout(10)
            data = b""
            while b"\r\n" not in data:
                chunk = sock.recv(4096)
                assert chunk, data
                data += chunk
            line, rest = data.split(b"\r\n", 1)
            m = re.fullmatch(rb"\*ZAKROS-PEER 2 (\S+) (\d+) 2 ([0-9a-f]{64})( \S+)?", line)
            assert m, line
            cluster_id, dialer = m.group(1), int(m.group(2))
            nonce_d, address = bytes.fromhex(m.group(3).decode()), (m.group(4) or b" ")[1:]
            nonce_a = os.urandom(32)
            mine = proof(b"A", secret, cluster_id, dialer, 2, nonce_d, nonce_a, address=address)
            sock.sendall(b"+ZAKROS-PEER %s %s\r\n" % (nonce_a.hex().encode(),
                                                      mine.hex().encode()))
            return sock, rest, (cluster_id, dialer, nonce_d, nonce_a, address)

        sock, rest, _ = answer(b"not-the-secret")
        with sock:
            while True:  # everything until the node closes
                chunk = sock.recv(4096)
                if not chunk:
                    break
                rest += chunk
            assert rest == b""

        sock, rest, (cluster_id, dialer, nonce_d, nonce_a, address) = answer(SECRET)
        with sock:
            while b"\r\n" not in rest:
                chunk = sock.recv(4096)
                assert chunk, rest
                rest += chunk
            line = rest.split(b"\r\n", 1)[0]
            expected = proof(b"D", SECRET, cluster_id, dialer, 2, nonce_d, nonce_a,
                             address=address)
            assert line == b"PROOF " + expected.hex().encode()
            # Its link to "node 2" is up now (a follower may have no message for it yet).
            wait_until(lambda: nodes[dialer].raft()["raft_peer2"]["connected"] == 1,
                       what="the dialer's link to the stand-in")
    finally:
        fake.close()
    assert any("failed to prove it knows masterauth" in n.full_log() for n in nodes)


def test_node_with_another_masterauth_never_joins(tmp_path, nodes):
    n0, n1, n2 = start_cluster(tmp_path, nodes, secrets=(SECRET, SECRET, b"another-secret"))
    leader = leader_of([n0, n1])
    assert leader.client().set("k", "v")
    follower = n1 if leader is n0 else n0
    c = follower.client()
    c.execute_command("READONLY")
    wait_until(lambda: c.get("k") == b"v", what="replication to the other good node")
    # Both directions failed: each side refuses the other's proof.
    wait_until(lambda: "peer node 2" in leader.full_log() and
               "failed to prove it knows masterauth" in leader.full_log(),
               what="the leader refusing node 2")
    wait_until(lambda: "failed to prove it knows masterauth" in n2.full_log(),
               what="node 2 refusing the others")
    info = n2.raft()
    assert int(info["raft_commit_index"]) == 0 and int(info["raft_leader_id"]) == -1, info
    c2 = n2.client()
    c2.execute_command("READONLY")
    assert c2.get("k") is None
    assert leader.raft()["raft_peer2"]["connected"] == 0
    assert leader.raft()["raft_role"] == "leader"


def test_requirepass_without_masterauth_refuses_to_start(tmp_path):
    addrs = f"{HOST}:{free_port()} {HOST}:{free_port()} {HOST}:{free_port()}"
    out = subprocess.run([BIN, "--port", "0", "--dir", str(tmp_path), "--node-id", "0",
                          "--cluster-addrs", addrs, "--requirepass", PASSWORD],
                         capture_output=True, text=True, timeout=20, cwd=tmp_path)
    assert out.returncode == 1, out
    assert "requirepass is set but masterauth is not" in out.stderr + out.stdout, out
    assert "masterauth" in out.stderr
