"""DUMP/RESTORE against real redis-server 7.0 in both directions (issue 3, item 10), and RESTORE's
errors byte for byte. The whole-file side (redis-check-rdb accepts our RDB files, redis-server
loads them and its own SAVE loads back identical) is tests/unit/store/rdb_test.cc's
RdbInterop test, which needs no running zakros.

Each test starts its own redis-server on a free port (killed by pid at teardown) beside the
zakros server of the `server` fixture.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import redis

from zakros_testlib import HOST, free_port, wait_until

pytestmark = pytest.mark.skipif(shutil.which("redis-server") is None,
                                reason="redis-server not installed")


@pytest.fixture
def real(tmp_path):
    port = free_port()
    proc = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", HOST, "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path), "--enable-debug-command", "yes"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis.Redis(host=HOST, port=port)

    def up():
        try:
            return client.ping()
        except redis.ConnectionError:
            return False

    wait_until(up, what="redis-server to start")
    yield client
    client.close()
    proc.kill()
    proc.wait()


@pytest.fixture
def z(server):
    client = redis.Redis(host=HOST, port=server.port)
    yield client
    client.close()


def populate(c):
    """Every type and encoding (default limits)."""
    c.set("s-int", 12345)
    c.set("s-bigint", "-9223372036854775808")
    c.set("s-embstr", "hello world")
    c.set("s-raw", "r" * 3000)
    c.set("s-bin", b"\x00\x01\xff")
    c.rpush("l-small", "a", "b", 1, -2, "")
    c.rpush("l-big", *[f"element-{i}" for i in range(2000)])
    c.sadd("set-int", *range(-50, 50))
    c.sadd("set-ht", *[f"m{i}" for i in range(300)])
    c.hset("h-lp", mapping={f"f{i}": i * i for i in range(10)})
    c.hset("h-ht", mapping={f"field{i}": "x" * (i % 100) for i in range(700)})
    c.zadd("z-lp", {f"z{i}": i / 4 for i in range(20)})
    c.zadd("z-sl", {f"m{i}": (i % 13) * 1.5e9 for i in range(500)})
    c.xadd("x", {"f": "v"}, id="1-1")
    c.xadd("x", {"f": "w", "g": "h"}, id="2-5")
    c.xgroup_create("x", "g1", id="0")
    c.xreadgroup("g1", "c1", {"x": ">"}, count=1)


def content(c, key):
    t = c.type(key).decode()
    if t == "string":
        return c.get(key)
    if t == "list":
        return c.lrange(key, 0, -1)
    if t == "set":
        return sorted(c.smembers(key))
    if t == "hash":
        return sorted(c.hgetall(key).items())
    if t == "zset":
        return c.zrange(key, 0, -1, withscores=True)
    if t == "stream":
        groups = [(g["name"], g["pending"], g["last-delivered-id"]) for g in c.xinfo_groups(key)]
        return (c.xrange(key), groups, c.xlen(key))
    raise AssertionError(f"unexpected type {t}")


def copy_all(src, dst):
    for key in sorted(src.keys()):
        payload = src.dump(key)
        assert dst.restore(key, 0, payload, replace=True), key


@pytest.mark.parametrize("direction", ["redis-to-zakros", "zakros-to-redis"])
def test_dump_restore_every_type(real, z, direction):
    src, dst = (real, z) if direction == "redis-to-zakros" else (z, real)
    populate(src)
    copy_all(src, dst)
    keys = sorted(src.keys())
    assert sorted(dst.keys()) == keys
    for key in keys:
        assert content(dst, key) == content(src, key), key
        assert dst.object("encoding", key) == src.object("encoding", key), key


def test_restore_ttl_absttl_idletime_freq(real, z):
    z.set("k", "v")
    payload = z.dump("k")
    for c in (z, real):
        c.restore("t1", 100000, payload)
        assert 90000 < c.pttl("t1") <= 100000
        c.restore("t2", 4102444800000, payload, absttl=True)
        assert c.pexpiretime("t2") == 4102444800000
        c.restore("t3", 0, payload, idletime=1000)
        assert c.object("idletime", "t3") >= 1000
        # A TTL in the past: OK and no key (the replaced one is gone too).
        c.set("t4", "old")
        assert c.restore("t4", 1, payload, absttl=True, replace=True)
        assert c.exists("t4") == 0


def raw_reply(c, *args):
    try:
        return ("ok", c.execute_command(*args))
    except redis.ResponseError as e:
        return ("err", str(e))


def test_restore_errors_match_redis(real, z):
    for c in (z, real):
        c.set("busy", "x")
        c.set("src", "some value")
    good = real.dump("src")
    bad_crc = good[:-1] + bytes([good[-1] ^ 1])
    newer = good[:-10] + b"\x0b\x00" + good[-8:]
    cases = [
        ("RESTORE", "busy", 0, good),
        ("RESTORE", "new", -1, good),
        ("RESTORE", "new", "abc", good),
        ("RESTORE", "new", 0, bad_crc),
        ("RESTORE", "new", 0, newer),
        ("RESTORE", "new", 0, b"short"),
        ("RESTORE", "new", 0, good, "IDLETIME", -1),
        ("RESTORE", "new", 0, good, "FREQ", 256),
        ("RESTORE", "new", 0, good, "IDLETIME", 1, "FREQ", 1),
        ("RESTORE", "new", 0, good, "BOGUS"),
        ("RESTORE", "new", 0, good, "IDLETIME"),
        ("DUMP", "nosuchkey"),
    ]
    for case in cases:
        assert raw_reply(z, *case) == raw_reply(real, *case), case
    # Payloads whose CRC is right but whose content is corrupt: "Bad data format" on both.
    for body in (b"\x02\x05\x01a",              # a set claiming 5 members, holding 1
                 b"\x02\x02\x01a\x01a",          # a set with a duplicate member
                 b"\x04\x00",                    # an empty hash
                 b"\x08\x00",                    # no such type
                 b"\x0b\x03abc"):                # an intset blob that is not one
        payload = with_footer(body)
        case = ("RESTORE", "bad", 0, payload)
        assert raw_reply(z, *case) == raw_reply(real, *case) == ("err", "Bad data format"), body
    # The footer helper is right: a real DUMP rebuilt with it is unchanged.
    assert with_footer(good[:-10]) == good


def crc64(data):
    """Redis's crc64 (Jones polynomial, reflected), bit by bit: fine for short payloads."""
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x95AC9329AC4BC9B5 if crc & 1 else 0)
    return crc


def with_footer(body):
    data = body + b"\x0a\x00"
    return data + crc64(data).to_bytes(8, "little")


CORRUPT_DUMP_TCL = (Path(__file__).resolve().parents[1] / "redis-suite" / "redis-src" / "tests" /
                    "integration" / "corrupt-dump.tcl")


def tcl_string(s):
    """Decodes a Tcl double-quoted string body (\\xHH with one or two digits, \\n, \\t ...)."""
    out = bytearray()
    i = 0
    while i < len(s):
        if s[i] == "\\" and i + 1 < len(s):
            n = s[i + 1]
            if n == "x":
                m = re.match(r"[0-9A-Fa-f]{1,2}", s[i + 2:])
                out.append(int(m.group(0), 16))
                i += 2 + len(m.group(0))
                continue
            out += {"n": b"\n", "t": b"\t", "r": b"\r", "0": b"\0"}.get(n, n.encode())
            i += 2
            continue
        out += s[i].encode()
        i += 1
    return bytes(out)


@pytest.mark.skipif(not CORRUPT_DUMP_TCL.exists(), reason="Redis's Tcl suite not fetched")
def test_redis_corrupt_dump_payloads(real, z):
    """Every payload of Redis's integration/corrupt-dump.tcl gets the reply real Redis gives with
    sanitize-dump-payload yes (zakros always validates deeply), and the server stays up."""
    real.config_set("sanitize-dump-payload", "yes")
    literals = re.findall(r'"((?:\\.|[^"\\])*)"', CORRUPT_DUMP_TCL.read_text())
    payloads = [tcl_string(s) for s in literals if s.startswith("\\x") and len(s) > 20]
    assert len(payloads) > 50
    for payload in payloads:
        case = ("RESTORE", "key", 0, payload, "REPLACE")
        assert raw_reply(z, *case) == raw_reply(real, *case), payload
        assert z.ping()
