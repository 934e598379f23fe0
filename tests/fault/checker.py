"""Checkers for the fault-injection histories (tests/fault).

Register workload: a linearizability checker in the style of Knossos/Porcupine, Wing & Gong's
search with Lowe's memoisation (the set of operations linearized so far plus the register's
value). Registers are independent, so the history is checked key by key (linearizability is
compositional).

An operation is a dict:
    {"f": "read" | "write" | "cas", "key": k, "value": ..., "start": t0, "end": t1 or None,
     "ok": True | None}
  read   value = what was read (None = the key was absent)
  write  value = what was written
  cas    value = (expected, new): succeeded (ok True) only if the register held `expected`
  ok     True: the operation completed with this result. None: its outcome is unknown (timeout,
         connection lost, -UNCERTAIN): it may have taken effect at any time after `start`, or
         never. Operations that definitely failed (MOVED, CLUSTERDOWN, an aborted EXEC, a CAS
         that read another value) must not be passed in, except as reads when they observed a
         value: a CAS that read `v` != expected is a read of `v`.
  end    None for unknown outcomes.

List-append workload: every client appends unique elements with RPUSH inside MULTI/EXEC
(returning the list as LRANGE saw it right after); check_appends() verifies that no
acknowledged element is lost, none is duplicated, and every observed list is a prefix of the
final one (so no element ever moved or vanished). check_append_history() derives those inputs
from the workload's records and adds the real-time checks: an append acknowledged before another
began comes first in the final list, and a list observed by a transaction that began after an
append was acknowledged contains it.

Results are tri-state: True (valid), False (a violation), None (undecided: the search hit its
step limit; callers treat it as a failure, since a checker that gives up proves nothing).
"""

import math

INF = math.inf


def _step(state, op):
    """(allowed, new_state) when `op` takes effect on a register holding `state`."""
    f = op["f"]
    if f == "write":
        return True, op["value"]
    if f == "read":
        return state == op["value"], state
    if f == "cas":
        expected, new = op["value"]
        return state == expected, new
    raise ValueError(f"unknown op {f}")


def prune(ops):
    """Drops operations that cannot change the verdict, which keeps the search small:
    - operations that certainly failed (ok False);
    - reads whose outcome is unknown (they return nothing and change nothing);
    - writes and compare-and-sets of unknown outcome whose new value nobody observed (no read
      returned it and no compare-and-set expected it): if a linearization places such an
      operation, removing it leaves a valid one, since between it and the next write nothing
      reads the register. This assumes written values are unique per register."""
    observed = set()
    for op in ops:
        if op["f"] == "read" and op["ok"] is True:
            observed.add(op["value"])
        elif op["f"] == "cas":
            observed.add(op["value"][0])
    out = []
    for op in ops:
        if op["ok"] is False:
            continue  # it did not happen (callers may pass definite failures in; they are ignored)
        if op["ok"] is not True:
            if op["f"] == "read":
                continue
            new = op["value"] if op["f"] == "write" else op["value"][1]
            if new not in observed:
                continue
        out.append(op)
    return out


def _never_written(ops, initial):
    """A successful read (or compare-and-set expectation) of a value no operation wrote: the
    commonest violation (for example a write refused with -CLUSTERDOWN that happened anyway),
    named directly instead of by a failed search."""
    written = {initial}
    for op in ops:
        if op["f"] == "write":
            written.add(op["value"])
        elif op["f"] == "cas":
            written.add(op["value"][1])
    for op in ops:
        if op["ok"] is True and op["f"] in ("read", "cas"):
            seen = op["value"] if op["f"] == "read" else op["value"][0]
            if seen not in written:
                return op
    return None


def check_register(ops, initial=None, max_steps=5_000_000):
    """Whether the operations on one register are linearizable. Returns (ok, info) with ok
    True, False (a violation; info says where the search got stuck) or None (undecided)."""
    ops = prune(ops)
    n = len(ops)
    bad = _never_written(ops, initial)
    if bad is not None:
        return False, (f"read a value that no write (acknowledged or of unknown outcome) "
                       f"wrote: {bad}")
    known = [op["ok"] is True for op in ops]
    must = sum(known)
    # Events: calls and returns; unknown outcomes never return (they may be dropped).
    events = []
    for i, op in enumerate(ops):
        events.append((op["start"], 0, i))
        if known[i]:
            events.append((op["end"], 1, i))
    # At equal times, returns first: an op that ended at t precedes one that starts at t.
    events.sort(key=lambda e: (e[0], -e[1]))

    # Doubly linked list over events (index into `events`); -1 = none.
    size = len(events)
    nxt = [p + 1 if p + 1 < size else -1 for p in range(size)]
    prv = [p - 1 for p in range(size)]
    head = [0 if size else -1]
    match = {}  # op -> (call position, return position)
    for pos, (_, kind, i) in enumerate(events):
        match.setdefault(i, [None, None])[kind] = pos

    def unlink(pos):
        p, q = prv[pos], nxt[pos]
        if p == -1:
            head[0] = q
        else:
            nxt[p] = q
        if q != -1:
            prv[q] = p

    def relink(pos):
        p, q = prv[pos], nxt[pos]
        if p == -1:
            head[0] = pos
        else:
            nxt[p] = pos
        if q != -1:
            prv[q] = pos

    def lift(i):
        call, ret = match[i]
        unlink(call)
        if ret is not None:
            unlink(ret)

    def unlift(i):
        call, ret = match[i]
        if ret is not None:
            relink(ret)
        relink(call)

    state = initial
    linearized = 0
    done_known = 0
    cache = set()
    stack = []  # (op index, state before)
    pos = head[0]
    steps = 0
    # (acknowledged operations linearized, the op whose return could not be met, the state)
    deepest = (-1, None, None)
    while done_known < must:
        steps += 1
        if steps > max_steps:
            return None, f"undecided: search passed {max_steps} steps ({n} ops)"
        if pos == -1:
            # Only unknown-outcome calls were left to try here: backtrack.
            if not stack:
                return False, f"no linearization ({_stuck(ops, deepest)})"
            i, state = stack.pop()
            linearized &= ~(1 << i)
            done_known -= known[i]
            unlift(i)
            pos = nxt[match[i][0]]
            continue
        _, kind, i = events[pos]
        if kind == 0:
            allowed, new_state = _step(state, ops[i])
            if allowed:
                key = (linearized | (1 << i), new_state)
                if key not in cache:
                    cache.add(key)
                    stack.append((i, state))
                    state = new_state
                    linearized |= 1 << i
                    done_known += known[i]
                    lift(i)
                    pos = head[0]
                    continue
            pos = nxt[pos]
        else:
            # A return whose call was not linearized yet: undo the last choice.
            if done_known > deepest[0]:
                deepest = (done_known, i, state)
            if not stack:
                return False, f"no linearization ({_stuck(ops, deepest)})"
            j, state = stack.pop()
            linearized &= ~(1 << j)
            done_known -= known[j]
            unlift(j)
            pos = nxt[match[j][0]]
    return True, f"{n} ops linearized"


def _stuck(ops, deepest):
    if deepest[1] is None:
        return "no operation could go first"
    done, i, state = deepest
    return (f"after {done} acknowledged operations at best, the register held {state!r} and "
            f"could not be made to satisfy {ops[i]}")


def check_registers(ops, initial=None, max_steps=5_000_000):
    """Checks every key's sub-history. Returns (ok, {key: info}), ok as check_register's: False
    if any key has a violation, else None if any is undecided, else True."""
    by_key = {}
    for op in ops:
        if op["f"] in ("read", "write", "cas"):
            by_key.setdefault(op["key"], []).append(op)
    results = {}
    verdicts = []
    for key, key_ops in sorted(by_key.items(), key=lambda kv: str(kv[0])):
        good, info = check_register(key_ops, initial, max_steps)
        results[key] = info
        verdicts.append(good)
    if False in verdicts:
        return False, results
    if None in verdicts:
        return None, results
    return True, results


def check_appends(acknowledged, maybe, observations, final):
    """List appends. `acknowledged`: elements whose append was acknowledged; `maybe`: elements
    whose append had an unknown outcome; `observations`: lists read during the run (in any
    order); `final`: the list read after the run. Returns (ok, problems)."""
    problems = []
    seen = {}
    for x in final:
        seen[x] = seen.get(x, 0) + 1
    dups = [x for x, c in seen.items() if c > 1]
    if dups:
        problems.append(f"duplicated elements: {dups[:10]}")
    lost = [x for x in acknowledged if x not in seen]
    if lost:
        problems.append(f"lost acknowledged elements: {lost[:10]} ({len(lost)} in all)")
    unknown = [x for x in final if x not in acknowledged and x not in maybe]
    if unknown:
        problems.append(f"elements never appended: {unknown[:10]}")
    for obs in observations:
        if list(final[:len(obs)]) != list(obs):
            problems.append(f"an observed list is not a prefix of the final list: {obs[:10]}...")
            break
    return not problems, problems


def check_append_history(ops, final):
    """One list's append records from the workload (dicts with f "append", value = the element,
    start, end, ok, and "observed" = the list LRANGE returned inside the same transaction) and
    the list read after the run. Returns (ok, problems)."""
    acked = [op for op in ops if op["ok"] is True]
    acknowledged = {op["value"] for op in acked}
    maybe = {op["value"] for op in ops if op["ok"] is None}
    observations = [op["observed"] for op in acked]
    ok, problems = check_appends(acknowledged, maybe, observations, final)
    for op in acked:
        obs = op["observed"]
        if not obs or obs[-1] != op["value"]:
            problems.append(f"the list read in the transaction that appended {op['value']!r} "
                            f"does not end with it: ...{obs[-5:]}")
            break
        if len(set(obs)) != len(obs):
            problems.append(f"an observed list has duplicates: {obs[:10]}...")
            break
    index = {x: i for i, x in enumerate(final)}
    # Appends sorted by when they were acknowledged, with the running maximum of their
    # position in the final list: whatever began after one of them ended must come later, and
    # any list observed by a transaction that began after it must contain it.
    by_end = sorted((op["end"], index.get(op["value"], -1), op["value"]) for op in acked)
    ends = [e for e, _, _ in by_end]
    running, best = [], (-1, None)
    for _, pos, value in by_end:
        if pos > best[0]:
            best = (pos, value)
        running.append(best)

    def latest_before(t):
        lo, hi = 0, len(ends)
        while lo < hi:
            mid = (lo + hi) // 2
            if ends[mid] < t:
                lo = mid + 1
            else:
                hi = mid
        return running[lo - 1] if lo else (-1, None)

    for op in sorted(acked, key=lambda o: o["start"]):
        pos, value = latest_before(op["start"])
        mine = index.get(op["value"], -1)
        if mine != -1 and pos > mine:
            problems.append(f"{op['value']!r} was appended after {value!r} was acknowledged, "
                            f"yet comes before it in the final list")
            break
        if pos >= len(op["observed"]):
            problems.append(f"the transaction appending {op['value']!r} began after "
                            f"{value!r} was acknowledged, yet did not see it")
            break
    return not problems, problems
