"""Stopping: SIGTERM and SIGINT exit cleanly with code 0; SHUTDOWN closes the connection and
exits 0; a bad SHUTDOWN argument is an error and changes nothing."""

import signal

import pytest

from zakros_testlib import Closed


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_signal_exits_cleanly(server, sig):
    with server.raw() as c:
        c.send(b"SET k v\r\n")
        assert c.read_reply() == "OK"
        server.expect_exit = True
        server.signal(sig)
        assert server.wait_exit(timeout=15) == 0, server.log()
        c.expect_closed()


@pytest.mark.parametrize("args", [(), ("NOSAVE",), ("NOW",), ("FORCE",)],
                         ids=["plain", "NOSAVE", "NOW", "FORCE"])
def test_shutdown_command(server, args):
    server.expect_exit = True
    with server.raw() as c, server.raw() as bystander:
        bystander.send(b"PING\r\n")
        assert bystander.read_reply() == "PONG"
        c.cmd("SHUTDOWN", *args)
        # On success there is no reply: the connection just ends.
        assert c.expect_closed(timeout=15) == b""
        assert server.wait_exit(timeout=15) == 0, server.log()
        bystander.expect_closed()


def test_shutdown_bad_argument(server):
    with server.raw() as c:
        c.send(b"SHUTDOWN BLAH\r\n")
        assert c.read_raw_reply()[0] == b"-ERR syntax error\r\n"
        c.send(b"PING\r\n")
        assert c.read_reply() == "PONG"
    assert server.alive()


def test_quit_closes_after_ok(server):
    with server.raw() as c:
        c.send(b"QUIT\r\nPING\r\n")
        assert c.expect_closed() == b"+OK\r\n"
    assert server.alive()
    with server.raw() as c:
        c.send(b"PING\r\n")
        try:
            assert c.read_reply() == "PONG"
        except Closed:
            pytest.fail("server stopped answering after QUIT")
