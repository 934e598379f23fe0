"""Many concurrent connections, maxclients, idle timeout."""

import time

from zakros_testlib import Closed, encode, wait_until


def _info_clients(r):
    return r.info("clients")


def test_1000_concurrent_connections(server, r):
    n = 1000
    conns = [server.raw(timeout=30) for _ in range(n)]
    try:
        # Half of each command first on every connection, then the rest: the server keeps one
        # partial parse per connection.
        cmds = [encode("SET", f"key:{i}", f"val:{i}") + encode("GET", f"key:{i}") for i in range(n)]
        for c, cmd in zip(conns, cmds):
            c.send(cmd[:7])
        wait_until(lambda: _info_clients(r)["connected_clients"] >= n + 1,
                   what=f"{n} connections to be accepted")
        for c, cmd in zip(conns, cmds):
            c.send(cmd[7:])
        for i, c in enumerate(conns):
            assert c.read_reply() == "OK"
            assert c.read_reply() == f"val:{i}".encode()
        assert r.dbsize() == n
    finally:
        for c in conns:
            c.close()
    wait_until(lambda: _info_clients(r)["connected_clients"] == 1, what="connections to close")


def test_1000_clients_concurrent_traffic(server):
    # All connections have requests in flight at once; every reply arrives on its connection.
    n = 1000
    rounds = 5
    conns = [server.raw(timeout=30) for _ in range(n)]
    try:
        for i, c in enumerate(conns):
            c.send(b"".join(encode("INCR", f"ctr:{i}") for _ in range(rounds)))
        for i, c in enumerate(conns):
            assert [c.read_reply() for _ in range(rounds)] == list(range(1, rounds + 1))
    finally:
        for c in conns:
            c.close()


def test_maxclients_rejects_with_redis_error(server_factory):
    srv = server_factory("--maxclients", "10")
    conns = []
    try:
        for _ in range(10):
            c = srv.raw()
            c.send(b"PING\r\n")
            assert c.read_reply() == "PONG"
            conns.append(c)
        with srv.raw() as extra:
            assert extra.expect_closed() == b"-ERR max number of clients reached\r\n"
        conns.pop().close()

        # Once a slot frees up, new connections are served again (the close is asynchronous).
        def can_connect():
            with srv.raw() as c:
                c.send(b"PING\r\n")
                try:
                    return c.read_reply() == "PONG"
                except (Closed, ConnectionResetError):
                    return False
        wait_until(can_connect, what="a free client slot")
    finally:
        for c in conns:
            c.close()


def test_idle_timeout_closes_idle_connection(server_factory):
    srv = server_factory("--timeout", "1")
    with srv.raw(timeout=15) as c:
        c.send(b"PING\r\n")
        assert c.read_reply() == "PONG"
        start = time.monotonic()
        assert c.expect_closed(timeout=15) == b""
        elapsed = time.monotonic() - start
        assert 0.9 <= elapsed < 8, elapsed


def test_idle_timeout_spares_active_and_pubsub_clients(server_factory):
    # A 2-second timeout: the active client's pings, 0.2 s apart, stay well inside it even when
    # a loaded machine stalls this process for a second; the subscriber idles past it.
    srv = server_factory("--timeout", "2")
    with srv.raw() as active, srv.raw() as sub:
        sub.send(encode("SUBSCRIBE", "ch"))
        assert sub.read_reply() == [b"subscribe", b"ch", 1]
        deadline = time.monotonic() + 4
        while time.monotonic() < deadline:
            active.send(b"PING\r\n")
            assert active.read_reply() == "PONG"
            time.sleep(0.2)
        # Redis exempts subscribers from the idle timeout.
        r = srv.client()
        assert r.publish("ch", "still here") == 1
        assert sub.read_reply() == [b"message", b"ch", b"still here"]
        r.close()


def test_config_set_timeout_applies_to_existing_connections(server, r):
    with server.raw(timeout=15) as c:
        c.send(b"PING\r\n")
        assert c.read_reply() == "PONG"
        assert r.config_set("timeout", 1)
        assert c.expect_closed(timeout=15) == b""
