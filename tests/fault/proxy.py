"""Per-link TCP proxies for the fault tests, run as their own process (so that the clients'
threads in the test process can never starve the cluster's heartbeats of the GIL).

Usage: proxy.py HOST TARGET_PORT_0 TARGET_PORT_1 ... (the nodes' real client ports)

For every ordered pair (i, j), i != j, it listens on a fresh port P(i, j) and forwards to node
j's real port. Node i is started with P(i, j) as entry j of its --cluster-addrs, so everything
node i sends to node j (zakros opens one outbound connection per peer and never answers on an
inbound one, see src/raft/transport/peer_transport.h) crosses exactly the proxy (i, j): cutting it
loses the direction i -> j and nothing else.

On start it prints one line "port I J P" per proxy, then "ready". Then it reads commands on
stdin, one per line, and answers each with "ok" (or "error ..."):
  cut I J     blackhole the direction I -> J: bytes read on either side of its connections are
              discarded from now on, new connections are accepted and blackholed too (the
              sender sees no error, as when packets are dropped)
  heal I J    forward again; the connections blackholed meanwhile are closed (their streams
              lost bytes), so the sender reconnects on a clean stream
  healall     heal every link
  quit        exit
"""

import asyncio
import sys


class Link:
    def __init__(self, host, target_port):
        self.host = host
        self.target_port = target_port
        self.cut = False
        self.conns = set()  # live Pipe objects

    def set_cut(self, cut):
        if cut == self.cut:
            return
        self.cut = cut
        for c in list(self.conns):
            if cut:
                c.blackholed = True
            elif c.blackholed:
                c.close()


class Pipe:
    """One proxied connection: client socket <-> upstream socket."""

    def __init__(self, link, reader, writer):
        self.link = link
        self.reader, self.writer = reader, writer
        self.up_reader = self.up_writer = None
        self.blackholed = link.cut
        self.closed = False
        self.tasks = []

    def close(self):
        if self.closed:
            return
        self.closed = True
        self.link.conns.discard(self)
        for w in (self.writer, self.up_writer):
            if w is not None:
                try:
                    w.transport.abort()
                except Exception:
                    pass
        for t in self.tasks:
            t.cancel()

    async def run(self):
        self.link.conns.add(self)
        if not self.blackholed:
            try:
                self.up_reader, self.up_writer = await asyncio.open_connection(
                    self.link.host, self.link.target_port)
            except OSError:
                self.close()
                return
        loop = asyncio.get_running_loop()
        self.tasks.append(loop.create_task(self.pump(self.reader, lambda: self.up_writer)))
        if self.up_reader is not None:
            self.tasks.append(loop.create_task(self.pump(self.up_reader, lambda: self.writer)))

    async def pump(self, reader, writer_of):
        try:
            while True:
                data = await reader.read(65536)
                if not data:
                    break
                if self.blackholed:
                    continue
                w = writer_of()
                if w is None:
                    continue
                w.write(data)
                await w.drain()
        except (OSError, asyncio.CancelledError):
            pass
        finally:
            self.close()


async def main():
    host = sys.argv[1]
    targets = [int(p) for p in sys.argv[2:]]
    n = len(targets)
    links = {}
    servers = []
    for i in range(n):
        for j in range(n):
            if i == j:
                continue
            link = Link(host, targets[j])
            links[(i, j)] = link

            async def accept(reader, writer, link=link):
                writer.transport.set_write_buffer_limits(high=1 << 20)
                await Pipe(link, reader, writer).run()

            server = await asyncio.start_server(accept, host, 0)
            servers.append(server)
            port = server.sockets[0].getsockname()[1]
            print(f"port {i} {j} {port}", flush=True)
    print("ready", flush=True)

    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while True:
        line = (await reader.readline()).decode().split()
        if not line or line[0] == "quit":
            break
        try:
            if line[0] in ("cut", "heal"):
                links[(int(line[1]), int(line[2]))].set_cut(line[0] == "cut")
            elif line[0] == "healall":
                for link in links.values():
                    link.set_cut(False)
            else:
                raise ValueError(f"unknown command {line[0]}")
            print("ok", flush=True)
        except (ValueError, KeyError, IndexError) as e:
            print(f"error {e}", flush=True)
    for s in servers:
        s.close()


if __name__ == "__main__":
    asyncio.run(main())
