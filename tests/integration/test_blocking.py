"""Blocking commands on a real server: wake-ups, fairness, timeouts, CLIENT UNBLOCK, MULTI/EXEC
wake-ups and the blocked-clients counters; on a volatile node and through Raft (the persistent
single node, where the pop that serves a woken client is proposed to the log)."""

import socket
import subprocess

import pytest
import redis

from zakros_testlib import BIN, HOST, SERVER_KIND, free_port, wait_until


def send(sock, *args):
    out = b"*%d\r\n" % len(args)
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    sock.sendall(out)


def recv_reply(sock, timeout=5.0):
    sock.settimeout(timeout)
    data = b""
    while not data.endswith(b"\r\n") or data.count(b"\r\n") < _needed_lines(data):
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def _needed_lines(data):
    # Enough for the replies used here: *-1, $-1, -ERR, :n, and *2 of two short bulks.
    if data.startswith(b"*2"):
        return 5
    return 1


@pytest.fixture(params=["volatile", "raft"])
def server(request, tmp_path):
    if SERVER_KIND != "zakros" and request.param == "raft":
        pytest.skip("zakros's replication")
    port = free_port()
    cmd = [BIN, "--port", str(port), "--bind", HOST, "--dir", str(tmp_path)]
    if SERVER_KIND != "zakros":
        cmd = ["/usr/bin/redis-server", "--port", str(port), "--bind", HOST, "--save", "",
               "--appendonly", "no", "--dir", str(tmp_path)]
    elif request.param == "volatile":
        cmd += ["--raft-enabled", "no"]
    log = open(tmp_path / "server.log", "wb")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path)

    def up():
        try:
            return redis.Redis(host=HOST, port=port).ping()
        except redis.RedisError:
            return False
    wait_until(up, timeout=20, what="server start")
    yield port
    proc.kill()
    proc.wait()


def connect(port):
    return socket.create_connection((HOST, port))


def test_push_wakes_the_first_blocked_client_first(server):
    c = redis.Redis(host=HOST, port=server)
    first, second = connect(server), connect(server)
    send(first, "BLPOP", "q", 0)
    wait_until(lambda: c.info("clients")["blocked_clients"] == 1, what="first to block")
    send(second, "BLPOP", "q", 0)
    wait_until(lambda: c.info("clients")["blocked_clients"] == 2, what="second to block")
    assert "flags=b" in c.execute_command("CLIENT", "LIST").decode()
    c.rpush("q", "one")
    assert recv_reply(first) == b"*2\r\n$1\r\nq\r\n$3\r\none\r\n"
    c.rpush("q", "two")
    assert recv_reply(second) == b"*2\r\n$1\r\nq\r\n$3\r\ntwo\r\n"
    assert c.info("clients")["blocked_clients"] == 0
    assert c.llen("q") == 0


def test_timeout_answers_null(server):
    s = connect(server)
    send(s, "BLPOP", "nothing", "0.2")
    assert recv_reply(s) == b"*-1\r\n"
    # Redis 7.0 times out every blocked command with a null array, BLMOVE's too.
    send(s, "BLMOVE", "nothing", "dst", "LEFT", "RIGHT", "0.1")
    assert recv_reply(s) == b"*-1\r\n"


def test_client_unblock_with_timeout_and_error(server):
    c = redis.Redis(host=HOST, port=server)
    s = connect(server)
    send(s, "CLIENT", "ID")
    my_id = int(recv_reply(s)[1:-2])
    send(s, "BRPOP", "k", 0)
    wait_until(lambda: c.info("clients")["blocked_clients"] == 1, what="block")
    assert c.execute_command("CLIENT", "UNBLOCK", my_id) == 1
    assert recv_reply(s) == b"*-1\r\n"
    send(s, "BRPOP", "k", 0)
    wait_until(lambda: c.info("clients")["blocked_clients"] == 1, what="block again")
    assert c.execute_command("CLIENT", "UNBLOCK", my_id, "ERROR") == 1
    assert recv_reply(s) == b"-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n"
    assert c.execute_command("CLIENT", "UNBLOCK", my_id) == 0


def test_transaction_wakes_blocked_client_after_exec(server):
    c = redis.Redis(host=HOST, port=server)
    s = connect(server)
    send(s, "BLPOP", "a", "b", 0)
    wait_until(lambda: c.info("clients")["blocked_clients"] == 1, what="block")
    with c.pipeline(transaction=True) as p:
        p.rpush("b", "x")
        p.rpush("a", "y")
        p.execute()
    # Served after EXEC, from the key that became ready first (b), as Redis 7.0 does.
    assert recv_reply(s) == b"*2\r\n$1\r\nb\r\n$1\r\nx\r\n"
    assert c.lrange("a", 0, -1) == [b"y"]


def test_pipelined_commands_wait_for_the_blocked_one(server):
    c = redis.Redis(host=HOST, port=server)
    s = connect(server)
    send(s, "BLPOP", "p", 0)
    send(s, "PING")
    wait_until(lambda: c.info("clients")["blocked_clients"] == 1, what="block")
    c.rpush("p", "v")
    data = b""
    s.settimeout(5)
    while data.count(b"\r\n") < 6:
        data += s.recv(65536)
    assert data == b"*2\r\n$1\r\np\r\n$1\r\nv\r\n+PONG\r\n"
