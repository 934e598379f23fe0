"""Pipelining: many commands sent before any reply is read come back complete and in order."""

import threading

from zakros_testlib import encode


def test_redis_py_pipeline_10k_in_order(r):
    pipe = r.pipeline(transaction=False)
    for i in range(10_000):
        if i % 2:
            pipe.incr("counter")
        else:
            pipe.echo(f"e{i}")
    replies = pipe.execute()
    assert len(replies) == 10_000
    expected = [i // 2 + 1 if i % 2 else f"e{i}" for i in range(10_000)]
    assert replies == expected
    assert r.get("counter") == "5000"


def test_raw_pipeline_one_write_mixed_resp_and_inline(server):
    # 10k commands in one write: RESP SETs, inline GETs, RESP ECHOs interleaved.
    n = 10_000
    parts = []
    for i in range(n):
        if i % 3 == 0:
            parts.append(encode("SET", f"k{i}", f"v{i}"))
        elif i % 3 == 1:
            parts.append(f"GET k{i - 1}\r\n".encode())
        else:
            parts.append(encode("ECHO", f"x{i}"))
    with server.raw(timeout=30) as c:
        c.send(b"".join(parts))
        for i in range(n):
            reply = c.read_reply()
            if i % 3 == 0:
                assert reply == "OK", i
            elif i % 3 == 1:
                assert reply == f"v{i - 1}".encode(), i
            else:
                assert reply == f"x{i}".encode(), i


def test_pipeline_larger_than_socket_buffers(server):
    # The client writes 100k commands (several MB) while concurrently reading: the server must
    # keep reading and answering in order even when its replies back up.
    n = 100_000
    payload = b"".join(encode("INCR", "c") for _ in range(n))
    with server.raw(timeout=60) as c:
        writer = threading.Thread(target=c.send, args=(payload,))
        writer.start()
        for i in range(1, n + 1):
            assert c.read_reply() == i
        writer.join(timeout=60)
        assert not writer.is_alive()


def test_command_split_across_many_writes(server):
    # One command delivered a byte at a time is parsed the same as in one write.
    data = encode("SET", "split", "a" * 100) + encode("GET", "split") + b"ECHO inline\r\n"
    with server.raw() as c:
        for b in data:
            c.send(bytes([b]))
        assert c.read_reply() == "OK"
        assert c.read_reply() == b"a" * 100
        assert c.read_reply() == b"inline"
