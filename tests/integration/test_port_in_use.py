"""Starting on a port that another process already listens on (most often Debian's redis-server
service on 6379): Redis's own lines naming the address and the port, then what to do (--port),
and exit code 1, before anything is written to the data directory."""

import socket

import pytest

from zakros_testlib import HOST, SERVER_KIND


@pytest.fixture
def held_port():
    """A port held by a plain listening socket on every IPv4 address, as a Redis bound to * would."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind(("0.0.0.0", 0))
        holder.listen(1)
        yield holder.getsockname()[1]


def _failed_start(server_factory, *args):
    srv = server_factory(*args, wait=False)
    srv.expect_exit = True
    return srv, srv.wait_exit(timeout=15), srv.log()


@pytest.mark.skipif(SERVER_KIND != "zakros", reason="redis-server is started with --bind here")
@pytest.mark.parametrize("mode", ["no", "yes"], ids=["volatile", "persistent"])
def test_default_bind_on_a_held_port_says_what_to_do_and_exits_1(server_factory, held_port,
                                                                  mode):
    # The default bind ("* -::*") as a newcomer's scripts/run.sh starts it; "yes" is its mode.
    srv, code, out = _failed_start(server_factory, "--port", str(held_port), "--raft-enabled",
                                   mode)
    assert code == 1, out
    assert (f"Could not create server TCP listening socket *:{held_port}: "
            f"bind: Address already in use") in out, out
    assert f"Failed listening on port {held_port} (TCP), aborting." in out, out
    assert f"Port {held_port} is already in use by another process" in out, out
    assert "--port <port>" in out, out
    # Nothing was started: no Raft log (or anything else) beside the server's own log file.
    assert sorted(p.name for p in srv.workdir.iterdir()) == ["server.log"]


def test_explicit_bind_on_a_held_port_exits_1(server_factory, held_port):
    _, code, out = _failed_start(server_factory, "--port", str(held_port), "--bind", HOST)
    assert code == 1, out
    assert (f"Could not create server TCP listening socket {HOST}:{held_port}: "
            f"bind: Address already in use") in out, out
    assert f"Failed listening on port {held_port} (TCP), aborting." in out, out
    if SERVER_KIND == "zakros":
        assert "--port <port>" in out, out
