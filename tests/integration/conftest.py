"""Fixtures that start the real server binary (see zakros_testlib.py for how and which)."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from zakros_testlib import Server  # noqa: E402


@pytest.fixture
def server_factory(tmp_path):
    """Returns start(*args, config_text=None, config_file=None, wait=True) -> Server; each call
    starts one more server in its own directory under tmp_path (config_text is written to a
    config file passed as the first argument; wait=False returns without waiting to listen).
    At teardown every server it started is stopped (that process only), and one that died
    without the test expecting it fails the test."""
    started = []

    def start(*args, config_text=None, config_file=None, wait=True):
        workdir = tmp_path / f"server{len(started)}"
        workdir.mkdir()
        if config_text is not None:
            config_file = workdir / "test.conf"
            config_file.write_text(config_text)
        srv = Server(workdir, args=args, config_file=config_file)
        started.append(srv)
        return srv.start() if wait else srv.spawn()

    yield start

    died = []
    for srv in started:
        if srv.proc is not None and not srv.expect_exit and srv.proc.poll() is not None:
            died.append(f"server (pid {srv.proc.pid}) died with code {srv.proc.returncode}:\n"
                        f"{srv.log()}")
        srv.kill()
        srv.close_log()
    if died:
        pytest.fail("\n".join(died))


@pytest.fixture
def server(server_factory):
    """A fresh server with default options (plus --port 0 --raft-enabled no)."""
    return server_factory()


@pytest.fixture
def r(server):
    """A redis-py client (RESP2, decoded strings) connected to `server`."""
    client = server.client()
    yield client
    client.close()
