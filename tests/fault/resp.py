"""A minimal RESP2 client for the fault tests.

redis-py raises exceptions of different classes for the replies that matter here (MOVED,
CLUSTERDOWN, -UNCERTAIN, EXECABORT) and hides whether a request was sent at all; the workers
need exactly that to classify an operation's outcome. So this client returns error replies as
`Error` values and raises only for transport problems, telling apart "nothing was sent"
(`NotSent`: connecting failed) from "sent, fate unknown" (`Indeterminate`: timeout, reset or
close after sending).
"""

import socket


class Error(str):
    """An error reply (-...), as its text without the leading '-'."""

    @property
    def kind(self):
        return self.split(" ", 1)[0]


class NotSent(Exception):
    """The request never reached the server (connect failed): it certainly did not happen."""


class Indeterminate(Exception):
    """The request may have reached the server but no complete reply came back."""


def encode(args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        if isinstance(a, str):
            a = a.encode()
        elif isinstance(a, int):
            a = b"%d" % a
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)


class Connection:
    """One TCP connection to host:port. Any transport failure closes it; the next call
    reconnects."""

    def __init__(self, host, port, timeout=1.0):
        self.host, self.port, self.timeout = host, port, timeout
        self.sock = None
        self.buf = b""

    def close(self):
        if self.sock is not None:
            try:
                self.sock.close()
            except OSError:
                pass
        self.sock = None
        self.buf = b""

    def _connect(self):
        try:
            self.sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.sock.settimeout(self.timeout)
        except OSError as e:
            self.close()
            raise NotSent(f"connect {self.host}:{self.port}: {e}") from None

    def call(self, *commands):
        """Sends the commands (each a list of arguments) in one write and returns their
        replies in order (a pipeline; MULTI ... EXEC goes out as one batch)."""
        if self.sock is None:
            self._connect()
        try:
            self.sock.sendall(b"".join(encode(c) for c in commands))
            return [self._reply() for _ in commands]
        except (OSError, EOFError, ValueError) as e:
            self.close()
            raise Indeterminate(f"{self.host}:{self.port}: {type(e).__name__} {e}") from None

    def _line(self):
        while True:
            i = self.buf.find(b"\r\n")
            if i >= 0:
                line, self.buf = self.buf[:i], self.buf[i + 2:]
                return line
            self._fill()

    def _fill(self):
        data = self.sock.recv(65536)
        if not data:
            raise EOFError("connection closed by the server")
        self.buf += data

    def _reply(self):
        line = self._line()
        t, rest = line[:1], line[1:]
        if t == b"+":
            return rest.decode()
        if t == b"-":
            return Error(rest.decode(errors="replace"))
        if t == b":":
            return int(rest)
        if t == b"$":
            n = int(rest)
            if n < 0:
                return None
            while len(self.buf) < n + 2:
                self._fill()
            data, self.buf = self.buf[:n], self.buf[n + 2:]
            return data.decode(errors="replace")
        if t == b"*":
            n = int(rest)
            if n < 0:
                return None
            return [self._reply() for _ in range(n)]
        raise ValueError(f"bad reply line {line[:80]!r}")
