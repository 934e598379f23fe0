"""RESP2/RESP3 over a plain socket, keeping every reply's exact bytes.

The differential test compares replies byte for byte first (redis-py's parser would hide the
difference between, say, a status reply and a bulk string, or between `*-1` and `*0`); only when
the bytes differ does it look at the parsed value, to apply the order-insensitive or
random-reply rules of compare.py.

Parsed values are tagged tuples (type byte, payload) so that no RESP type information is lost:
  ('+', b'OK')  ('-', b'ERR ...')  (':', 5)  ('$', b'..' | None)  ('*', [..] | None)
  RESP3: ('%', [(k, v), ..])  ('~', [..])  (',', b'1.5')  ('_', None)  ('#', True)
         ('(', int)  ('=', b'txt:..')  ('!', b'ERR ..')  ('>', [..])
Attributes ('|') are read and dropped (neither server sends them to our commands).
"""

import socket


class Closed(Exception):
    """The server closed the connection (or did not answer in time) while a reply was due."""


class Conn:
    def __init__(self, port, timeout=10.0):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = bytearray()
        self.pos = 0

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    @staticmethod
    def encode(args):
        out = bytearray(b"*%d\r\n" % len(args))
        for a in args:
            if isinstance(a, str):
                a = a.encode()
            elif isinstance(a, int):
                a = str(a).encode()
            out += b"$%d\r\n%s\r\n" % (len(a), a)
        return bytes(out)

    def send(self, args):
        try:
            self.sock.sendall(self.encode(args))
        except OSError as e:
            raise Closed(f"send failed: {e}")

    def _fill(self):
        try:
            data = self.sock.recv(65536)
        except socket.timeout:
            raise Closed("timed out waiting for a reply")
        except OSError as e:
            raise Closed(f"recv failed: {e}")
        if not data:
            raise Closed("connection closed by the server")
        self.buf += data

    def _line(self):
        while True:
            i = self.buf.find(b"\r\n", self.pos)
            if i >= 0:
                line = bytes(self.buf[self.pos:i])
                self.pos = i + 2
                return line
            self._fill()

    def _exact(self, n):
        while len(self.buf) - self.pos < n + 2:
            self._fill()
        data = bytes(self.buf[self.pos:self.pos + n])
        self.pos += n + 2
        return data

    def _value(self):
        line = self._line()
        t, rest = chr(line[0]) if line else "?", line[1:]
        if t in "+-":
            return (t, rest)
        if t == ":":
            return (":", int(rest))
        if t == "(":
            return ("(", int(rest))
        if t == ",":
            return (",", rest)
        if t == "#":
            return ("#", rest == b"t")
        if t == "_":
            return ("_", None)
        if t in "$=!":
            n = int(rest)
            return (t, None if n < 0 else self._exact(n))
        if t in "*~>":
            n = int(rest)
            return (t, None if n < 0 else [self._value() for _ in range(n)])
        if t == "%":
            n = int(rest)
            return ("%", [(self._value(), self._value()) for _ in range(n)])
        if t == "|":
            n = int(rest)
            for _ in range(2 * n):
                self._value()
            return self._value()
        raise Closed(f"protocol error: unexpected line {line[:80]!r}")

    def read(self):
        """One reply: (raw bytes, parsed value)."""
        if self.pos:
            del self.buf[:self.pos]
            self.pos = 0
        v = self._value()
        return bytes(self.buf[:self.pos]), v

    def call(self, args):
        self.send(args)
        return self.read()
