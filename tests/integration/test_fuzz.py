"""Random bytes from clients never crash or hang the server (bounded, fixed seed, replayable:
ZAKROS_FUZZ_SEED and ZAKROS_FUZZ_ITERATIONS override the defaults)."""

import os
import random
import time

from zakros_testlib import encode

SEED = int(os.environ.get("ZAKROS_FUZZ_SEED", "20261125"))
ITERATIONS = int(os.environ.get("ZAKROS_FUZZ_ITERATIONS", "600"))
TIME_BUDGET = 60.0

# Commands that cannot stop, pause or slow down the server whatever their arguments.
SAFE_COMMANDS = [
    "PING", "ECHO", "SET", "GET", "INCR", "DECRBY", "INCRBYFLOAT", "APPEND", "GETRANGE",
    "SETRANGE", "MSET", "MGET", "DEL", "EXISTS", "EXPIRE", "PEXPIRE", "TTL", "TYPE", "STRLEN",
    "SELECT", "DBSIZE", "MULTI", "EXEC", "DISCARD", "WATCH", "SUBSCRIBE", "UNSUBSCRIBE",
    "PSUBSCRIBE", "PUBLISH", "HELLO", "CLIENT", "SCAN", "KEYS", "RENAME", "GETEX", "SETEX",
    "LCS", "OBJECT", "COMMAND", "TIME", "INFO", "QUIT", "RESET", "GETSET", "COPY", "TOUCH",
]
INTERESTING = [b"", b"0", b"-1", b"1", b"9223372036854775807", b"-9223372036854775808",
               b"99999999999999999999", b"nan", b"inf", b"1e400", b"EX", b"PX", b"NX", b"XX",
               b"GET", b"KEEPTTL", b"3", b"2", b"*", b"\x00", b"\r\n", b"\"", b"'", b"\\x"]


def _random_resp(rng):
    args = [rng.choice(SAFE_COMMANDS).encode()]
    for _ in range(rng.randint(0, 5)):
        if rng.random() < 0.5:
            args.append(rng.choice(INTERESTING))
        else:
            args.append(rng.randbytes(rng.randint(0, 40)))
    return encode(*args)


def _mutate(rng, data):
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(5)
        pos = rng.randrange(len(data) + 1)
        if op == 0 and data:
            data[min(pos, len(data) - 1)] = rng.randrange(256)
        elif op == 1:
            data[pos:pos] = rng.choice([b"\r\n", b"*", b"$", b"-1", b"\r", b"\n", b"99999999",
                                        b"*2147483648\r\n", b"$-2\r\n"])
        elif op == 2:
            del data[pos:pos + rng.randint(1, 8)]
        elif op == 3:
            data = data[:pos]
        else:
            data[pos:pos] = rng.randbytes(rng.randint(1, 16))
    return bytes(data)


def _random_inline(rng):
    words = [rng.choice(SAFE_COMMANDS).encode()]
    words += [rng.choice(INTERESTING + [b'"a b"', b"'x'", b'"\\x4', b"\"\\\"\""])
              for _ in range(rng.randint(0, 4))]
    return b" ".join(words) + rng.choice([b"\r\n", b"\n", b"\r", b""])


def _payload(rng):
    kind = rng.randrange(5)
    if kind == 0:
        return rng.randbytes(rng.randint(1, 2048))
    if kind == 1:
        return b"".join(_random_resp(rng) for _ in range(rng.randint(1, 20)))
    if kind == 2:
        return _mutate(rng, b"".join(_random_resp(rng) for _ in range(rng.randint(1, 10))))
    if kind == 3:
        return b"".join(_random_inline(rng) for _ in range(rng.randint(1, 10)))
    prefix = rng.choice([b"*", b"$", b"*1\r\n$", b"*2\r\n$3\r\nGET\r\n$"])
    return prefix + rng.randbytes(rng.randint(0, 64))


def test_random_garbage_never_crashes(server):
    rng = random.Random(SEED)
    deadline = time.monotonic() + TIME_BUDGET
    done = 0
    for i in range(ITERATIONS):
        if time.monotonic() > deadline:
            break
        with server.raw(timeout=5) as c:
            for _ in range(rng.randint(1, 3)):
                data = _payload(rng)
                # Sometimes in pieces, to cross read boundaries at random places.
                cut = rng.randint(0, len(data))
                try:
                    c.send(data[:cut])
                    c.send(data[cut:])
                except (BrokenPipeError, ConnectionResetError):
                    break
                if not c.read_available(wait=0.005 if rng.random() < 0.8 else 0.05):
                    break  # the server closed it (protocol error, QUIT): fine
        done += 1
        if i % 50 == 49:
            assert server.alive(), f"server died at iteration {i} (seed {SEED}):\n{server.log()}"
            _assert_answers(server, i)
    assert server.alive(), f"server died (seed {SEED}):\n{server.log()}"
    _assert_answers(server, done)
    assert done >= min(ITERATIONS, 100)


def _assert_answers(server, i):
    with server.raw(timeout=10) as c:
        # RESET first: garbage never reaches this fresh connection, but be explicit.
        c.send(b"PING\r\n")
        assert c.read_reply() == "PONG", f"no PONG after iteration {i} (seed {SEED})"
