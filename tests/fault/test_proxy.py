"""The link proxies (proxy.py): forwarding, a one-way cut that blackholes without an error,
and healing, which closes the blackholed connections so that senders reconnect cleanly."""

import socket
import subprocess
import sys
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent


def echo_server():
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen()

    def serve(conn):
        with conn:
            while True:
                data = conn.recv(4096)
                if not data:
                    return
                conn.sendall(data)

    def accept():
        while True:
            try:
                conn, _ = srv.accept()
            except OSError:
                return
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    return srv


def start_proxy(targets):
    proc = subprocess.Popen([sys.executable, str(HERE / "proxy.py"), "127.0.0.1"]
                            + [str(t) for t in targets],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
    ports = {}
    while True:
        words = proc.stdout.readline().split()
        if words[0] == "ready":
            return proc, ports
        ports[(int(words[1]), int(words[2]))] = int(words[3])


def command(proc, line):
    proc.stdin.write(line + "\n")
    proc.stdin.flush()
    return proc.stdout.readline().strip()


def roundtrip(port, payload=b"ping", timeout=10.0):
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(payload)
        return s.recv(100)


def test_forward_cut_heal():
    a, b = echo_server(), echo_server()
    proc, ports = start_proxy([a.getsockname()[1], b.getsockname()[1]])
    try:
        assert set(ports) == {(0, 1), (1, 0)}
        assert roundtrip(ports[(0, 1)]) == b"ping"
        # A loaded machine may take a while to forward: only the checks that expect nothing
        # use a short timeout (a late byte there would pass unnoticed, never fail the test).
        live = socket.create_connection(("127.0.0.1", ports[(0, 1)]), timeout=10)
        live.sendall(b"x")
        assert live.recv(10) == b"x"
        assert command(proc, "cut 0 1") == "ok"
        # The cut direction loses bytes silently, on old and new connections alike...
        live.settimeout(0.5)
        live.sendall(b"lost")
        try:
            got = live.recv(10)
        except socket.timeout:
            got = None
        assert got is None
        try:
            fresh = roundtrip(ports[(0, 1)], timeout=0.5)
        except socket.timeout:
            fresh = None
        assert fresh is None
        # ...the other direction keeps working.
        assert roundtrip(ports[(1, 0)]) == b"ping"
        assert command(proc, "heal 0 1") == "ok"
        # Healing closes the blackholed connection; a new one forwards again.
        live.settimeout(2)
        try:
            assert live.recv(10) == b""
        except ConnectionResetError:
            pass
        assert roundtrip(ports[(0, 1)]) == b"ping"
        assert command(proc, "cut 0 1") == "ok"
        assert command(proc, "healall") == "ok"
        assert roundtrip(ports[(0, 1)]) == b"ping"
        assert command(proc, "bogus").startswith("error")
    finally:
        command(proc, "quit")
        proc.wait(timeout=5)
        a.close()
        b.close()
