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
final one (so no element ever moved or vanished).
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


def check_register(ops, initial=None):
    """True if the operations on one register are linearizable. Returns (ok, info)."""
    ops = list(ops)
    n = len(ops)
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
    while done_known < must:
        steps += 1
        if steps > 5_000_000:
            return False, "search too large (undecided)"
        if pos == -1:
            # Only unknown-outcome calls were left to try here: backtrack.
            if not stack:
                return False, "no linearization"
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
            if not stack:
                return False, f"no linearization (stuck at op {ops[i]})"
            j, state = stack.pop()
            linearized &= ~(1 << j)
            done_known -= known[j]
            unlift(j)
            pos = nxt[match[j][0]]
    return True, f"{n} ops linearized"


def check_registers(ops, initial=None):
    """Checks every key's sub-history. Returns (ok, {key: info})."""
    by_key = {}
    for op in ops:
        by_key.setdefault(op["key"], []).append(op)
    results = {}
    ok = True
    for key, key_ops in sorted(by_key.items(), key=lambda kv: str(kv[0])):
        good, info = check_register(key_ops, initial)
        results[key] = info
        ok = ok and good
    return ok, results


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
