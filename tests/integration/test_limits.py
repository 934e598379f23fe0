"""client-query-buffer-limit and client-output-buffer-limit: the offending client is
disconnected and the server's memory stays bounded."""

import time

from zakros_testlib import encode


def _send_ignoring_close(conn, data):
    """Sends data; the server may close the connection before it has all been written."""
    try:
        conn.send(data)
    except (BrokenPipeError, ConnectionResetError):
        pass


def test_query_buffer_limit_closes_client(server_factory):
    srv = server_factory("--client-query-buffer-limit", "1mb")
    r = srv.client()
    # A request below the limit is served.
    assert r.set("small", "x" * 500_000)
    assert r.strlen("small") == 500_000
    # A request whose buffered bytes exceed the limit gets the client closed.
    with srv.raw(timeout=15) as c:
        _send_ignoring_close(c, b"*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$4000000\r\n" + b"y" * 2_000_000)
        c.expect_closed(timeout=15)
    assert r.exists("big") == 0
    assert r.ping()
    r.close()


def test_query_buffer_limit_many_small_commands_are_fine(server_factory):
    # The limit bounds what is buffered, not what passes through a connection.
    srv = server_factory("--client-query-buffer-limit", "1mb")
    with srv.raw(timeout=30) as c:
        n = 50_000
        c.send(b"".join(encode("SET", f"k{i}", "v" * 40) for i in range(n)))
        for _ in range(n):
            assert c.read_reply() == "OK"


def _slow_subscriber(srv, channel):
    # A tiny receive buffer and no reads after the confirmation: replies pile up in the server.
    sub = srv.raw(timeout=15, rcvbuf=4096)
    sub.cmd("SUBSCRIBE", channel)
    assert sub.read_reply() == [b"subscribe", channel.encode(), 1]
    return sub


def _publish_until_dropped(r, channel, payload, budget_bytes):
    sent = 0
    while sent < budget_bytes:
        if r.publish(channel, payload) == 0:
            return sent
        sent += len(payload)
    raise AssertionError(f"slow subscriber still connected after {sent} bytes were published")


def _assert_disconnected(sub):
    # It may still read what the kernel buffered, then the connection ends.
    sub.sock.settimeout(15)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            if not sub.sock.recv(1 << 20):
                return
        except ConnectionResetError:
            return
    raise AssertionError("slow subscriber's connection was not closed")


def test_output_buffer_limit_disconnects_slow_pubsub_reader(server_factory):
    srv = server_factory("--client-output-buffer-limit", "pubsub 1mb 0 0")
    r = srv.client(decode_responses=False)
    rss_before = srv.rss_kb()
    sub = _slow_subscriber(srv, "news")
    payload = b"p" * 65536
    sent = _publish_until_dropped(r, "news", payload, budget_bytes=64 << 20)
    # 1mb of output buffer plus what the kernel's socket buffers hold.
    assert sent < 16 << 20, sent
    _assert_disconnected(sub)
    sub.close()
    assert r.pubsub_numsub("news") == [(b"news", 0)]
    assert srv.rss_kb() - rss_before < 64 * 1024
    assert r.ping()
    r.close()


def test_default_pubsub_limit_bounds_memory(server):
    # Redis's default is "pubsub 32mb 8mb 60": publishing 256 MB to a reader that never reads
    # must disconnect it rather than buffer it all.
    r = server.client(decode_responses=False)
    rss_before = server.rss_kb()
    sub = _slow_subscriber(server, "firehose")
    payload = b"q" * (256 << 10)
    sent = _publish_until_dropped(r, "firehose", payload, budget_bytes=256 << 20)
    assert sent < 64 << 20, sent
    _assert_disconnected(sub)
    sub.close()
    assert server.rss_kb() - rss_before < 160 * 1024
    r.close()


def test_output_buffer_limit_settable_at_runtime(server):
    r = server.client()
    assert r.config_set("client-output-buffer-limit", "pubsub 1mb 0 0")
    value = r.config_get("client-output-buffer-limit")["client-output-buffer-limit"]
    assert "pubsub 1048576 0 0" in value
    rb = server.client(decode_responses=False)
    sub = _slow_subscriber(server, "c2")
    _publish_until_dropped(rb, "c2", b"z" * 65536, budget_bytes=64 << 20)
    _assert_disconnected(sub)
    sub.close()
    r.close()
    rb.close()


def test_big_reply_to_normal_client_is_delivered(server):
    # Normal clients have no output limit by default: a reader that is merely slow still gets
    # everything.
    r = server.client(decode_responses=False)
    value = b"v" * (4 << 20)
    r.set("big", value)
    with server.raw(timeout=30, rcvbuf=4096) as c:
        c.send(b"".join(encode("GET", "big") for _ in range(8)))
        for _ in range(8):
            assert c.read_reply() == value
    r.close()
