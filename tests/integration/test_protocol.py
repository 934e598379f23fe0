"""RESP3 via HELLO, inline commands, and Redis's exact protocol errors (then the connection is
closed). Expected bytes are Redis 7.0's."""

import pytest

from zakros_testlib import Error, Push, encode

HELLO_KEYS = {b"server", b"version", b"proto", b"id", b"mode", b"role", b"modules"}


def test_hello_3_switches_to_resp3(server):
    with server.raw() as c:
        c.cmd("HELLO", "3")
        raw, hello = c.read_raw_reply()
        assert raw.startswith(b"%7\r\n")
        assert set(hello) == HELLO_KEYS
        assert hello[b"proto"] == 3
        assert hello[b"version"].startswith(b"7.")
        assert hello[b"mode"] == b"standalone"
        assert hello[b"role"] == b"master"
        assert hello[b"modules"] == []
        c.cmd("GET", "nosuchkey")
        assert c.read_raw_reply()[0] == b"_\r\n"
        c.cmd("CONFIG", "GET", "maxclients")
        assert c.read_raw_reply()[0] == b"%1\r\n$10\r\nmaxclients\r\n$5\r\n10000\r\n"
        # And back to RESP2: the same HELLO reply as a flat array, nulls as $-1.
        c.cmd("HELLO", "2")
        raw, hello2 = c.read_raw_reply()
        assert raw.startswith(b"*14\r\n")
        assert hello2[hello2.index(b"proto") + 1] == 2
        c.cmd("GET", "nosuchkey")
        assert c.read_raw_reply()[0] == b"$-1\r\n"


def test_hello_without_version_and_unsupported_version(server):
    with server.raw() as c:
        c.cmd("HELLO")
        raw, hello = c.read_raw_reply()
        assert raw.startswith(b"*14\r\n")  # stays RESP2
        c.cmd("HELLO", "4")
        assert c.read_raw_reply()[0] == b"-NOPROTO unsupported protocol version\r\n"
        c.cmd("HELLO", "1")
        assert c.read_raw_reply()[0] == b"-NOPROTO unsupported protocol version\r\n"


def test_hello_setname(server):
    with server.raw() as c:
        c.cmd("HELLO", "3", "SETNAME", "myname")
        assert set(c.read_reply()) == HELLO_KEYS
        c.cmd("CLIENT", "GETNAME")
        assert c.read_raw_reply()[0] == b"$6\r\nmyname\r\n"


def test_hello_auth_with_requirepass(server_factory):
    srv = server_factory("--requirepass", "s3cret")
    with srv.raw() as c:
        c.cmd("GET", "x")
        assert c.read_reply().startswith("NOAUTH")
        c.cmd("HELLO", "3", "AUTH", "default", "wrong")
        assert c.read_raw_reply()[0] == (
            b"-WRONGPASS invalid username-password pair or user is disabled.\r\n")
        c.cmd("HELLO", "3", "AUTH", "default", "s3cret", "SETNAME", "authed")
        assert c.read_reply()[b"proto"] == 3
        c.cmd("CLIENT", "GETNAME")
        assert c.read_reply() == b"authed"
        c.cmd("GET", "x")
        assert c.read_raw_reply()[0] == b"_\r\n"


def test_resp3_pubsub_push_messages(server):
    with server.raw() as sub, server.raw() as pub:
        sub.cmd("HELLO", "3")
        sub.read_reply()
        sub.cmd("SUBSCRIBE", "ch")
        raw, msg = sub.read_raw_reply()
        assert raw == b">3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n"
        # RESP3 subscribers may run any command; replies and pushes share the connection.
        sub.cmd("GET", "nosuchkey")
        assert sub.read_raw_reply()[0] == b"_\r\n"
        sub.cmd("PING")
        assert sub.read_raw_reply()[0] == b"+PONG\r\n"
        pub.cmd("PUBLISH", "ch", "hello")
        assert pub.read_reply() == 1
        raw, msg = sub.read_raw_reply()
        assert raw == b">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$5\r\nhello\r\n"
        assert isinstance(msg, Push)


def test_resp2_subscribed_mode_rules(server):
    with server.raw() as c:
        c.send(b"SUBSCRIBE ch\r\nPING\r\nGET x\r\n")
        assert c.read_raw_reply()[0] == b"*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n"
        assert c.read_raw_reply()[0] == b"*2\r\n$4\r\npong\r\n$0\r\n\r\n"
        assert c.read_raw_reply()[0] == (
            b"-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / "
            b"RESET are allowed in this context\r\n")


def test_inline_commands(server):
    with server.raw() as c:
        c.send(b"PING\r\n")
        assert c.read_raw_reply()[0] == b"+PONG\r\n"
        # Quotes and escapes as Redis's sdssplitargs; LF alone ends a line; blank lines are
        # ignored.
        c.send(b'ECHO "hello world"\r\nECHO "\\x41\\n"\nSET k \'a b\'\n\r\n\r\nGET k\r\n')
        assert c.read_raw_reply()[0] == b"$11\r\nhello world\r\n"
        assert c.read_raw_reply()[0] == b"$2\r\nA\n\r\n"
        assert c.read_raw_reply()[0] == b"+OK\r\n"
        assert c.read_raw_reply()[0] == b"$3\r\na b\r\n"
        c.send(b"FOO bar baz\r\n")
        assert c.read_raw_reply()[0] == (
            b"-ERR unknown command 'FOO', with args beginning with: 'bar' 'baz' \r\n")
        c.send(b"   PING   \r\n")
        assert c.read_reply() == "PONG"


PROTOCOL_ERRORS = [
    (b"*abc\r\n", b"-ERR Protocol error: invalid multibulk length\r\n"),
    (b"*3000000000\r\n", b"-ERR Protocol error: invalid multibulk length\r\n"),
    (b"*1\r\n$abc\r\n", b"-ERR Protocol error: invalid bulk length\r\n"),
    (b"*1\r\n$-5\r\n", b"-ERR Protocol error: invalid bulk length\r\n"),
    # Larger than proto-max-bulk-len (512mb by default).
    (b"*1\r\n$600000000\r\n", b"-ERR Protocol error: invalid bulk length\r\n"),
    (b'ECHO "unbalanced\r\n', b"-ERR Protocol error: unbalanced quotes in request\r\n"),
    (b"ECHO 'x'y\r\n", b"-ERR Protocol error: unbalanced quotes in request\r\n"),
    (b"*1\r\nfoo\r\n", b"-ERR Protocol error: expected '$', got 'f'\r\n"),
    (b"A" * 70_000, b"-ERR Protocol error: too big inline request\r\n"),
    (b"*1\r\n$" + b"1" * 70_000, b"-ERR Protocol error: too big bulk count string\r\n"),
    (b"*" + b"1" * 70_000, b"-ERR Protocol error: too big mbulk count string\r\n"),
]


@pytest.mark.parametrize("request_bytes,error", PROTOCOL_ERRORS,
                         ids=[e[1][21:-2].decode().replace(" ", "_") + "-" + str(i)
                              for i, e in enumerate(PROTOCOL_ERRORS)])
def test_protocol_error_replies_then_closes(server, request_bytes, error):
    with server.raw() as c:
        # Replies to the commands before the bad one are still delivered, in order.
        c.send(b"PING\r\n" + encode("ECHO", "before") + request_bytes)
        assert c.expect_closed() == b"+PONG\r\n$6\r\nbefore\r\n" + error
    # The server itself is fine.
    with server.raw() as c:
        c.send(b"PING\r\n")
        assert c.read_reply() == "PONG"


def test_empty_multibulk_and_zero_count_are_ignored(server):
    with server.raw() as c:
        c.send(b"*0\r\n*-1\r\nPING\r\n")
        assert c.read_raw_reply()[0] == b"+PONG\r\n"


def test_wrong_arity_error_text(server):
    with server.raw() as c:
        c.cmd("GET")
        assert c.read_raw_reply()[0] == b"-ERR wrong number of arguments for 'get' command\r\n"
        c.cmd("GET", "a", "b")
        assert isinstance(c.read_reply(), Error)
