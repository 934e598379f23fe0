"""Helpers for the integration tests: start the real server binary, talk raw RESP to it.

The tests run against the zakros binary (env ZAKROS_BIN, default <repo>/build/zakros). Setting
ZAKROS_TEST_SERVER=redis runs the same tests against Debian's redis-server instead, which is how
the tests themselves were checked: every expectation here is Redis 7.0's behaviour.

Nothing here sleeps to synchronise: every wait polls a condition until a deadline.
"""

import os
import re
import resource
import signal
import socket
import subprocess
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SERVER_KIND = os.environ.get("ZAKROS_TEST_SERVER", "zakros")
if SERVER_KIND not in ("zakros", "redis"):
    raise RuntimeError("ZAKROS_TEST_SERVER must be zakros or redis")
# Absolute, because each server runs in its own directory.
BIN = (os.path.abspath(os.environ.get("ZAKROS_BIN", str(REPO / "build" / "zakros")))
       if SERVER_KIND == "zakros" else "/usr/bin/redis-server")
HOST = "127.0.0.1"
START_DEADLINE = 20.0

# Thousands of connections need file descriptors in this process and in the server, which
# inherits our limits.
_soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
if _hard == resource.RLIM_INFINITY or _soft < _hard:
    resource.setrlimit(resource.RLIMIT_NOFILE,
                       (_hard if _hard != resource.RLIM_INFINITY else 65536, _hard))


def wait_until(predicate, timeout=10.0, interval=0.02, what="condition"):
    """Polls predicate() until it returns a truthy value (returned) or the deadline passes."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


def free_port():
    """A currently free port on 127.0.0.1 (only for redis-server, whose --port 0 disables TCP)."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


_LISTEN_RE = re.compile(rb"Listening on (\S+):(\d+)")


class Server:
    """One server process in its own directory, with stdout+stderr captured in server.log.

    Owned by the `server_factory` fixture, which stops exactly this process at teardown.
    """

    def __init__(self, workdir, args=(), config_file=None):
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.log_path = self.workdir / "server.log"
        self.args = list(args)
        self.config_file = config_file
        self.proc = None
        self.port = None
        self.expect_exit = False  # set by tests that stop the server themselves

    def command(self):
        cmd = [BIN]
        if self.config_file is not None:
            cmd.append(str(self.config_file))
        if SERVER_KIND == "zakros":
            cmd += ["--port", "0", "--raft-enabled", "no", "--dir", str(self.workdir)]
        else:
            self.port = free_port()
            cmd += ["--port", str(self.port), "--bind", HOST, "--save", "", "--appendonly", "no",
                    "--dir", str(self.workdir)]
        return cmd + self.args

    def spawn(self):
        """Starts the process without waiting for it to listen (for tests of failed starts)."""
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(self.command(), stdout=self._log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, cwd=self.workdir)
        return self

    def start(self):
        """Starts the process and waits (polling, with a deadline) until it accepts connections."""
        self.spawn()
        deadline = time.monotonic() + START_DEADLINE
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.expect_exit = True  # reported here, not again by the fixture
                raise AssertionError(
                    f"server exited with code {self.proc.returncode} during start:\n{self.log()}")
            if SERVER_KIND == "zakros" and self.port is None:
                m = _LISTEN_RE.search(self.log_path.read_bytes())
                if m:
                    self.port = int(m.group(2))
            if self.port is not None and self._accepts():
                return self
            time.sleep(0.02)
        self.expect_exit = True  # stopped here; the fixture need not report it as a crash
        self.kill()
        raise AssertionError(f"server did not listen within {START_DEADLINE}s "
                             f"(no 'Listening on <host>:<port>' line?):\n{self.log()}")

    def _accepts(self):
        try:
            socket.create_connection((HOST, self.port), timeout=1).close()
            return True
        except OSError:
            return False

    def log(self):
        try:
            return self.log_path.read_text(errors="replace")[-4000:]
        except OSError:
            return ""

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def rss_kb(self):
        """Resident memory of the server process (VmRSS), in kB."""
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        raise AssertionError("no VmRSS")

    def wait_exit(self, timeout=10.0):
        """Waits for the process to exit on its own; returns its exit code."""
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"server did not exit within {timeout}s:\n{self.log()}")

    def signal(self, sig):
        self.proc.send_signal(sig)

    def kill(self):
        """Stops exactly this process: SIGTERM, then SIGKILL after a deadline."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def close_log(self):
        if getattr(self, "_log", None):
            self._log.close()

    def client(self, **kwargs):
        import redis
        kwargs.setdefault("socket_timeout", 20)
        kwargs.setdefault("decode_responses", True)
        return redis.Redis(host=HOST, port=self.port, **kwargs)

    def raw(self, timeout=10.0, rcvbuf=None):
        return RawConn(self.port, timeout=timeout, rcvbuf=rcvbuf)


class Closed(Exception):
    """The server closed the connection while a reply was expected."""


class RawConn:
    """A plain socket speaking RESP by hand, to check exact bytes and connection closes."""

    def __init__(self, port, timeout=10.0, rcvbuf=None):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if rcvbuf is not None:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.settimeout(timeout)
        self.sock.connect((HOST, port))
        self.buf = b""

    def close(self):
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def send(self, data):
        if isinstance(data, str):
            data = data.encode()
        self.sock.sendall(data)

    def cmd(self, *args):
        """Sends one command as a RESP array of bulk strings."""
        self.send(encode(*args))

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise Closed()
        self.buf += chunk

    def read_line(self):
        while b"\r\n" not in self.buf:
            self._fill()
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def read_exact(self, n):
        while len(self.buf) < n:
            self._fill()
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def read_raw_reply(self):
        """Reads one complete reply and returns its exact bytes."""
        self._raw = bytearray()
        value = self._read_value(record=True)
        return bytes(self._raw), value

    def read_reply(self):
        """Reads one reply (RESP2 or RESP3) as Python values; errors come back as Error."""
        self._raw = None
        return self._read_value(record=False)

    def _rec_line(self, record):
        line = self.read_line()
        if record:
            self._raw += line + b"\r\n"
        return line

    def _read_value(self, record):
        line = self._rec_line(record)
        t, rest = line[:1], line[1:]
        if t in (b"+",):
            return rest.decode(errors="replace")
        if t == b"-":
            return Error(rest.decode(errors="replace"))
        if t == b":":
            return int(rest)
        if t in (b"$", b"=", b"!"):
            n = int(rest)
            if n < 0:
                return None
            data = self.read_exact(n + 2)
            if record:
                self._raw += data
            if t == b"!":
                return Error(data[:-2].decode(errors="replace"))
            return data[:-2]
        if t in (b"*", b"~", b">"):
            n = int(rest)
            if n < 0:
                return None
            items = [self._read_value(record) for _ in range(n)]
            return Push(items) if t == b">" else items
        if t == b"%" or t == b"|":
            n = int(rest)
            m = {}
            for _ in range(n):
                k = self._read_value(record)
                m[k if not isinstance(k, list) else tuple(k)] = self._read_value(record)
            return m
        if t == b"_":
            return None
        if t == b"#":
            return rest == b"t"
        if t == b",":
            return float(rest)
        if t == b"(":
            return int(rest)
        raise AssertionError(f"unexpected reply line {line!r}")

    def read_available(self, wait=0.2):
        """Everything the server sends within `wait` seconds of quiet (for fuzzing)."""
        self.sock.settimeout(wait)
        try:
            while True:
                chunk = self.sock.recv(65536)
                if not chunk:
                    return False
                self.buf += chunk
        except (socket.timeout, BlockingIOError):
            return True
        except OSError:
            return False

    def expect_closed(self, timeout=10.0):
        """Asserts the server closes the connection within timeout; returns what it sent first."""
        self.sock.settimeout(timeout)
        deadline = time.monotonic() + timeout
        data = self.buf
        self.buf = b""
        while True:
            try:
                chunk = self.sock.recv(65536)
            except ConnectionResetError:
                return data
            except socket.timeout:
                raise AssertionError(f"connection still open after {timeout}s; got {data[:200]!r}")
            if not chunk:
                return data
            data += chunk
            if time.monotonic() > deadline:
                raise AssertionError(f"connection still open after {timeout}s")


class Error(str):
    """An error reply (its text without the leading '-')."""


class Push(list):
    """A RESP3 push message (>)."""


def encode(*args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        if isinstance(a, int):
            a = str(a)
        if isinstance(a, str):
            a = a.encode()
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)
