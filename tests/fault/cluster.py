"""A zakros cluster of real processes for the fault tests, with a TCP proxy on every
node-to-node link (proxy.py) so that links can be cut and healed one direction at a time.

Topology:
- Node i listens on its real port R(i). Its --cluster-addrs has R(i) at entry i and the proxy
  port P(i, j) at entry j: everything i sends to j crosses the proxy (i, j). Every node gets the
  same --raft-cluster-id, since their views of the addresses differ.
- Clients talk to the nodes' real ports directly: the nemesis partitions the nodes from each
  other, never the clients from the nodes. A -MOVED answer names the leader's address as the
  answering node sees it (a proxy port); `node_of_address` maps any such address back to the
  node, and clients then connect to that node's real port. A client can so always reach an
  isolated old leader, which is what lets the checker notice a node that serves stale reads or
  acknowledges writes it cannot commit.

Every process is started by this class in its own temporary directory and killed by its PID
(never by name). Waits poll with a deadline.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HOST = "127.0.0.1"
REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
DEFAULT_BIN = os.environ.get("ZAKROS_BIN", str(REPO / "build" / "zakros"))

sys.path.insert(0, str(HERE))
from resp import Connection, Error, Indeterminate, NotSent  # noqa: E402


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_until(predicate, timeout, what, interval=0.05):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise TimeoutError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


class Node:
    def __init__(self, cluster, index, port, addrs):
        self.cluster = cluster
        self.index = index
        self.port = port
        self.addrs = addrs  # this node's view: a list of "host:port"
        self.dir = os.path.join(cluster.workdir, f"n{index}")
        os.makedirs(self.dir, exist_ok=True)
        self.proc = None
        self.paused = False

    def start(self):
        assert not self.alive()
        log = open(os.path.join(self.dir, "server.log"), "ab")
        cmd = [self.cluster.binary, "--port", str(self.port), "--bind", HOST, "--dir", self.dir,
               "--node-id", str(self.index), "--cluster-addrs", " ".join(self.addrs),
               "--raft-election-timeout", str(self.cluster.election_ms),
               "--raft-heartbeat-interval", str(self.cluster.heartbeat_ms)]
        if self.cluster.cluster_id:
            cmd += ["--raft-cluster-id", self.cluster.cluster_id]
        if self.cluster.test_break:
            cmd += ["--raft-test-break", self.cluster.test_break]
        cmd += self.cluster.server_args
        self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, cwd=self.dir)
        log.close()
        self.paused = False

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def wait_listening(self, timeout=30):
        def up():
            if not self.alive():
                raise RuntimeError(f"node {self.index} exited:\n{self.log_tail()}")
            try:
                socket.create_connection((HOST, self.port), timeout=0.5).close()
                return True
            except OSError:
                return False
        wait_until(up, timeout, f"node {self.index} to listen")

    def kill(self):
        """SIGKILL (no shutdown code runs) and reap."""
        if self.alive():
            if self.paused:
                self.proc.send_signal(signal.SIGCONT)
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=30)
        self.paused = False

    def pause(self):
        if self.alive() and not self.paused:
            self.proc.send_signal(signal.SIGSTOP)
            self.paused = True

    def resume(self):
        if self.alive() and self.paused:
            self.proc.send_signal(signal.SIGCONT)
        self.paused = False

    def info_raft(self, timeout=1.0):
        """INFO raft as a dict, or None if the node does not answer."""
        c = Connection(HOST, self.port, timeout)
        try:
            (reply,) = c.call(["INFO", "raft"])
        except (NotSent, Indeterminate):
            return None
        finally:
            c.close()
        if isinstance(reply, Error) or reply is None:
            return None
        out = {}
        for line in reply.splitlines():
            if ":" in line:
                k, v = line.split(":", 1)
                out[k] = v
        return out

    def log_tail(self, chars=3000):
        try:
            with open(os.path.join(self.dir, "server.log"), errors="replace") as f:
                return f.read()[-chars:]
        except OSError:
            return ""


class Cluster:
    def __init__(self, nodes=3, binary=DEFAULT_BIN, test_break=None, election_ms=300,
                 heartbeat_ms=30, workdir=None, keep=False, proxies=True, server_args=()):
        self.binary = os.path.abspath(binary)
        if not os.access(self.binary, os.X_OK):
            raise FileNotFoundError(f"zakros binary not found: {self.binary}")
        self.n = nodes
        self.test_break = test_break
        self.election_ms = election_ms
        self.heartbeat_ms = heartbeat_ms
        self.server_args = list(server_args)  # more options for every node (run.py --server-arg)
        self.own_workdir = workdir is None
        self.workdir = workdir or tempfile.mkdtemp(prefix="zakros-fault-")
        self.keep = keep
        # proxies=False: the nodes talk directly (no partitions possible); for servers without
        # --raft-cluster-id, and to tell proxy trouble from server trouble.
        self.proxies = proxies
        self.cluster_id = f"fault-{os.getpid()}-{int(time.time() * 1000) % 1000000}"
        self.proxy = None
        self.nodes = []
        self.cut_links = set()
        self._addr_to_node = {}

    # ---- life cycle ----

    def start(self):
        ports = [free_port() for _ in range(self.n)]
        if not self.proxies:
            addrs = [f"{HOST}:{p}" for p in ports]
            for i in range(self.n):
                self.nodes.append(Node(self, i, ports[i], addrs))
                self._addr_to_node[addrs[i]] = i
            self.cluster_id = None
            return self._start_nodes()
        self.proxy = subprocess.Popen(
            [sys.executable, str(HERE / "proxy.py"), HOST] + [str(p) for p in ports],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        proxy_port = {}
        while True:
            line = self.proxy.stdout.readline()
            if not line:
                raise RuntimeError("the proxy process exited during start-up")
            words = line.split()
            if words[0] == "ready":
                break
            _, i, j, p = words
            proxy_port[(int(i), int(j))] = int(p)
        for i in range(self.n):
            addrs = [f"{HOST}:{ports[j]}" if i == j else f"{HOST}:{proxy_port[(i, j)]}"
                     for j in range(self.n)]
            self.nodes.append(Node(self, i, ports[i], addrs))
            self._addr_to_node[f"{HOST}:{ports[i]}"] = i
        for (i, j), p in proxy_port.items():
            self._addr_to_node[f"{HOST}:{p}"] = j
        return self._start_nodes()

    def _start_nodes(self):
        for node in self.nodes:
            node.start()
        for node in self.nodes:
            node.wait_listening()
        return self

    def stop(self):
        for node in self.nodes:
            try:
                node.kill()
            except Exception:
                pass
        if self.proxy is not None and self.proxy.poll() is None:
            try:
                self.proxy.stdin.write("quit\n")
                self.proxy.stdin.flush()
                self.proxy.wait(timeout=5)
            except Exception:
                self.proxy.kill()
                self.proxy.wait()
        if self.own_workdir and not self.keep:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # ---- addresses ----

    def node_of_address(self, addr):
        """The node index for a host:port named in a MOVED reply, or None."""
        return self._addr_to_node.get(addr)

    # ---- network ----

    def _proxy_command(self, line):
        if self.proxy is None:
            raise RuntimeError("this cluster runs without proxies: no partitions")
        self.proxy.stdin.write(line + "\n")
        self.proxy.stdin.flush()
        answer = self.proxy.stdout.readline().strip()
        if answer != "ok":
            raise RuntimeError(f"proxy: {line!r} -> {answer!r}")

    def cut(self, i, j):
        """Loses everything node i sends to node j (one direction)."""
        if (i, j) not in self.cut_links:
            self._proxy_command(f"cut {i} {j}")
            self.cut_links.add((i, j))

    def heal(self, i, j):
        if (i, j) in self.cut_links:
            self._proxy_command(f"heal {i} {j}")
            self.cut_links.discard((i, j))

    def heal_all(self):
        if self.proxy is not None:
            self._proxy_command("healall")
        self.cut_links.clear()

    def partition(self, groups):
        """Cuts every link between nodes of different groups (both directions); nodes not
        listed form a group of their own each."""
        group_of = {}
        for g, members in enumerate(groups):
            for m in members:
                group_of[m] = g
        for i in range(self.n):
            group_of.setdefault(i, ("alone", i))
        for i in range(self.n):
            for j in range(self.n):
                if i != j and group_of[i] != group_of[j]:
                    self.cut(i, j)

    # ---- roles ----

    def leaders(self):
        """Indexes of the nodes that answer INFO and say they lead."""
        out = []
        for node in self.nodes:
            if node.alive() and not node.paused:
                info = node.info_raft(timeout=0.5)
                if info and info.get("raft_role") == "leader":
                    out.append(node.index)
        return out

    def leader(self):
        """The leader, by the highest term among nodes that claim to lead; None if none."""
        best, best_term = None, -1
        for node in self.nodes:
            if node.alive() and not node.paused:
                info = node.info_raft(timeout=0.5)
                if info and info.get("raft_role") == "leader":
                    term = int(info.get("raft_term", 0))
                    if term > best_term:
                        best, best_term = node.index, term
        return best

    def wait_leader(self, timeout=30):
        # (wrapped in a list: node 0 is a leader too)
        return wait_until(lambda: [x for x in [self.leader()] if x is not None], timeout,
                          "a leader")[0]

    def wait_healthy(self, timeout=60):
        """Waits until one leader exists and a write through it succeeds."""
        def ok():
            idx = self.leader()
            if idx is None:
                return None
            c = Connection(HOST, self.nodes[idx].port, 2.0)
            try:
                (r,) = c.call(["SET", "fault:health", str(time.time())])
                return [idx] if r == "OK" else None
            except (NotSent, Indeterminate):
                return None
            finally:
                c.close()
        return wait_until(ok, timeout, "a healthy cluster", interval=0.1)[0]
