"""How two replies to the same command are compared.

First the raw RESP bytes: identical bytes are a match. Only when they differ does a rule of this
file decide, from the command, whether the difference is allowed by Redis's own contract:

- order-insensitive replies, where Redis defines no order: SMEMBERS, SINTER, SUNION, SDIFF, KEYS,
  SCAN; HKEYS/HVALS/HGETALL/HSCAN/SSCAN/ZSCAN only when redis-server holds the key in a hashtable
  or skiplist (a listpack or intset has a defined order, which must match); GEORADIUS/GEOSEARCH
  without a sort order (and ties in sorted ones when WITHDIST shows equal distances); SORT BY
  nosort of a set;
- random replies (SPOP, SRANDMEMBER, HRANDFIELD, ZRANDMEMBER, RANDOMKEY, and GEO... COUNT n ANY):
  same RESP type, the right size, distinct when Redis promises it, members (and their values or
  scores) taken from the key as redis-server held it just before the command;
- time-dependent integers: TTL/EXPIRETIME within 1 s, PTTL/PEXPIRETIME within 1.5 s,
  OBJECT IDLETIME within 2 s; idle times and delivery times inside XPENDING/XINFO/XCLAIM replies
  are masked;
- DUMP payloads that differ byte-wise are cross-restored (ours into redis-server, theirs into
  zakros); equal contents count as a match (a hashtable's iteration order legitimately differs).

A Checker needs the parsed replies, the redis-server state before the command (`pre`, taken by
run.py for the commands listed in PRE_PROBE) and a Probe for after-the-fact questions.
"""

from collections import Counter

UNORDERED = {"SMEMBERS", "SINTER", "SUNION", "SDIFF", "KEYS"}
HASH_ORDER = {"HKEYS": 1, "HVALS": 1, "HGETALL": 2}
SCANS = {"SCAN": 1, "SSCAN": 1, "HSCAN": 2, "ZSCAN": 2}
GEO_SEARCH = {"GEORADIUS", "GEORADIUS_RO", "GEORADIUSBYMEMBER", "GEORADIUSBYMEMBER_RO",
              "GEOSEARCH"}
TOLERANCE = {"TTL": 1, "EXPIRETIME": 1, "PTTL": 1500, "PEXPIRETIME": 1500}
RANDOM = {"SPOP", "SRANDMEMBER", "HRANDFIELD", "ZRANDMEMBER", "RANDOMKEY"}
STREAM_TIMES = {"XPENDING", "XINFO", "XCLAIM", "XAUTOCLAIM", "XREADGROUP"}
TIME_FIELDS = {b"idle", b"seen-time", b"inactive", b"active-time"}
# Lex-range commands: Redis documents their result as unspecified when the members' scores
# differ ("If the elements in the sorted set have different scores, the returned elements are
# unspecified"), so a difference there is not a mismatch (and the state is resynchronised).
LEX = {"ZRANGEBYLEX", "ZREVRANGEBYLEX", "ZLEXCOUNT", "ZREMRANGEBYLEX"}
# Commands whose comparison needs redis-server's state of the key before the command.
PRE_PROBE = RANDOM | LEX | {"SORT", "SORT_RO", "ZRANGE", "ZRANGESTORE"}


def is_lex(args):
    name = upper(args, 0)
    return name in LEX or (name in ("ZRANGE", "ZRANGESTORE") and has_opt(args, "BYLEX"))


LEX_NOTE = "lex range over different scores: unspecified by Redis"


def is_unknown_command(v):
    return v[0] == "-" and v[1].startswith(b"ERR unknown command")


def items(v):
    """The elements of an aggregate reply (maps flattened), or None."""
    t, x = v
    if t in "*~>":
        return x
    if t == "%":
        return [e for kv in x for e in kv]
    return None


def key_of(v):
    return repr(v)


def multiset(elems, chunk=1):
    """Elements grouped `chunk` at a time, as an order-free multiset. RESP3 pairs count as one."""
    if elems is None:
        return None
    groups = [tuple(key_of(e) for e in elems[i:i + chunk]) for i in range(0, len(elems), chunk)]
    return Counter(groups)


def unordered_equal(zv, rv, chunk=1):
    if zv[0] != rv[0]:
        return False
    if zv[0] == "%":
        return Counter(key_of(kv) for kv in zv[1]) == Counter(key_of(kv) for kv in rv[1])
    zi, ri = items(zv), items(rv)
    if zi is None or ri is None:
        return zv == rv
    return multiset(zi, chunk) == multiset(ri, chunk)


def as_bytes(v):
    t, x = v
    if t in "$+,=":
        return x
    if t in ":(":
        return str(x).encode()
    return None


def as_float(v):
    b = as_bytes(v)
    try:
        return float(b)
    except (TypeError, ValueError):
        return None


def mask_times(v, under_pending=False):
    """Replaces the time-dependent integers of stream replies by a placeholder."""
    t, x = v
    if t in "*~>" and x is not None:
        out = []
        skip_next = False
        for i, e in enumerate(x):
            if skip_next:
                out.append(("?", "time"))
                skip_next = False
                continue
            if e[0] in "$+" and e[1] in TIME_FIELDS and i + 1 < len(x):
                skip_next = True
                out.append(e)
                continue
            if e[0] in ":(" and e[1] >= 10**12:
                out.append(("?", "time"))
                continue
            out.append(mask_times(e))
        return (t, out)
    if t == "%":
        out = []
        for k, val in x:
            if k[0] in "$+" and k[1] in TIME_FIELDS:
                out.append((k, ("?", "time")))
            else:
                out.append((mask_times(k), mask_times(val)))
        return (t, out)
    if t in ":(" and x >= 10**12:
        return ("?", "time")
    return v


def mask_xpending_extended(v):
    t, x = v
    if t != "*" or not x:
        return v
    out = []
    for e in x:
        if e[0] == "*" and e[1] is not None and len(e[1]) == 4:
            out.append(("*", e[1][:2] + [("?", "idle")] + e[1][3:]))
        else:
            out.append(e)
    return (t, out)


def undefined_sort_order(args, pre):
    """Where SORT's order is undefined (Redis 7.0 sort.c): BY nosort of a set (dict order) unless
    STORE is given; and
    ALPHA with a BY pattern, whose comparison returns 0 for equal or missing weights, when the
    input comes from a set or a zset (both read in dict order: SORT converts a zset to a
    skiplist) or when LIMIT selects Redis's unstable partial quicksort. Numeric ties are broken
    by the member, so they are defined."""
    if pre is None:
        return False
    t = pre.get("type")
    up = [a.decode(errors="replace").upper() for a in args]
    if "BY" not in up or up.index("BY") + 1 >= len(args):
        return False
    by = args[up.index("BY") + 1]
    if b"*" not in by:
        # sort.c forces ALPHA sorting of a set with BY nosort and STORE (for replication).
        return t == "set" and "STORE" not in up
    return "ALPHA" in up and (t in ("set", "zset") or "LIMIT" in up)


def upper(args, i):
    return args[i].decode(errors="replace").upper() if len(args) > i else ""


def has_opt(args, *opts):
    s = {a.decode(errors="replace").upper() for a in args[1:]}
    return any(o in s for o in opts)


class Checker:
    """Decides whether two different replies to `args` are equivalent under Redis's contract.

    check() returns (ok, note): note says which rule accepted a byte difference (for stats), or
    why it did not."""

    def __init__(self, probe):
        self.probe = probe  # run.Probe: redis_call(args), zakros_call(args)

    def check(self, args, zv, rv, pre):
        name = upper(args, 0)
        if zv[0] in "-!" or rv[0] in "-!":
            return False, "error differs"
        if name in RANDOM:
            return self.random_reply(name, args, zv, rv, pre)
        if is_lex(args) and pre is not None and pre.get("mixed_scores"):
            return True, LEX_NOTE
        if name in TOLERANCE or (name == "OBJECT" and upper(args, 1) == "IDLETIME"):
            tol = TOLERANCE.get(name, 2)
            if zv[0] == rv[0] and zv[0] in ":(" and abs(zv[1] - rv[1]) <= tol:
                return True, "time tolerance"
            return False, "time value differs beyond tolerance"
        if name in UNORDERED:
            return unordered_equal(zv, rv), "unordered"
        if name in HASH_ORDER or name in SCANS:
            return self.maybe_unordered(name, args, zv, rv)
        if name in GEO_SEARCH:
            return self.geo(args, zv, rv)
        if name in ("SORT", "SORT_RO"):
            return self.sort(args, zv, rv, pre)
        if name in STREAM_TIMES:
            if name == "XPENDING" and len(args) > 3:
                zv, rv = mask_xpending_extended(zv), mask_xpending_extended(rv)
            return mask_times(zv) == mask_times(rv), "stream times masked"
        if name == "DUMP":
            return self.dump(args, zv, rv)
        return False, "differs"

    def maybe_unordered(self, name, args, zv, rv):
        if name == "SCAN":
            chunk = 1
        else:
            chunk = HASH_ORDER.get(name) or SCANS[name]
            enc = self.probe.redis_call(["OBJECT", "ENCODING", args[1]])[1]
            if enc[0] == "$" and enc[1] in (b"listpack", b"intset", b"ziplist"):
                return False, f"order differs ({enc[1].decode()} has a defined order)"
        if name in SCANS:
            zi, ri = items(zv), items(rv)
            if not zi or not ri or len(zi) != 2 or len(ri) != 2 or zi[0] != ri[0]:
                return False, "scan cursor differs"
            return unordered_equal(zi[1], ri[1], chunk), "unordered scan"
        return unordered_equal(zv, rv, chunk), "unordered hashtable"

    def geo(self, args, zv, rv):
        sort = has_opt(args, "ASC", "DESC")
        up = [a.decode(errors="replace").upper() for a in args]
        count = "COUNT" in up
        anyopt = "ANY" in up
        if "STORE" in up or "STOREDIST" in up:
            return False, "differs"
        zi, ri = items(zv), items(rv)
        if zi is None or ri is None:
            return False, "differs"
        if count and anyopt and not sort:
            return len(zi) == len(ri) and zv[0] == rv[0], "COUNT ANY: size only"
        if not sort and not count:
            return unordered_equal(zv, rv), "unordered geo"
        # Sorted by distance: members at equal distances may come in either order.
        if "WITHDIST" in up and zv[0] == rv[0] and len(zi) == len(ri):
            def dist(e):
                sub = items(e)
                return key_of(sub[1]) if sub and len(sub) > 1 else None
            if [dist(e) for e in zi] == [dist(e) for e in ri] and unordered_equal(zv, rv):
                return True, "equal distances reordered"
        return False, "differs"

    def sort(self, args, zv, rv, pre):
        up = [a.decode(errors="replace").upper() for a in args]
        if not undefined_sort_order(args, pre) or "STORE" in up:
            return False, "differs"
        gets = up.count("GET") or 1
        zi, ri = items(zv), items(rv)
        if zi is None or ri is None or zv[0] != rv[0]:
            return False, "differs"
        if "LIMIT" in up:
            return len(zi) == len(ri), "SORT of a set in undefined order, LIMIT: size only"
        return unordered_equal(zv, rv, gets), "SORT of a set in undefined order: unordered"

    # ---- random replies ----------------------------------------------------------------------
    def random_reply(self, name, args, zv, rv, pre):
        if zv[0] != rv[0]:
            return False, "reply types differ"
        if name == "RANDOMKEY":
            keys = pre.get("keys", set())
            if rv[1] is None or zv[1] is None:
                return zv == rv, "RANDOMKEY nil"
            return zv[1] in keys, "RANDOMKEY member of KEYS"
        has_count = len(args) > 2
        members = pre.get("members")  # dict member -> value/score bytes (None for sets)
        if members is None:
            return False, "no snapshot of the key"
        n = len(members)
        if not has_count:
            if zv[0] in "$" and zv[1] is None:
                return n == 0, "nil on empty key"
            return (zv[0] == "$" and zv[1] in members), "member of the key"
        try:
            c = int(args[2])
        except ValueError:
            return False, "differs"
        withv = has_opt(args, "WITHVALUES", "WITHSCORES")
        zi = items(zv)
        if zi is None:
            return False, "not an aggregate"
        # Normalise to (member, value) pairs: RESP2 flattens them, RESP3 nests them.
        if withv:
            if zi and zi[0][0] == "*":
                pairs = [(e[1][0][1], e[1][1]) for e in zi]
            else:
                if len(zi) % 2:
                    return False, "odd WITHVALUES reply"
                pairs = [(zi[i][1], zi[i + 1]) for i in range(0, len(zi), 2)]
        else:
            pairs = [(e[1], None) for e in zi]
        want = min(c, n) if c >= 0 else (abs(c) if n else 0)
        if name == "SPOP" and c < 0:
            return False, "differs"
        if len(pairs) != want:
            return False, f"size {len(pairs)} != {want}"
        ms = [m for m, _ in pairs]
        if c >= 0 and len(set(ms)) != len(ms):
            return False, "repeated members for a positive count"
        for m, v in pairs:
            if m not in members:
                return False, f"{m!r} is not a member"
            if v is not None:
                expect = members[m]
                if name == "ZRANDMEMBER":
                    if as_float(v) != float(expect):
                        return False, f"score of {m!r} differs"
                elif as_bytes(v) != expect:
                    return False, f"value of {m!r} differs"
        return True, "random reply: size and membership"

    # ---- DUMP --------------------------------------------------------------------------------
    def dump(self, args, zv, rv):
        if zv[0] != "$" or rv[0] != "$" or zv[1] is None or rv[1] is None:
            return False, "differs"
        key = args[1]
        tmp = b"__difftmp"
        ok = True
        why = []
        # Their payload restored here must equal our key; ours restored there must equal theirs.
        for call, payload, other in ((self.probe.zakros_call, rv[1], self.probe.zakros_call),
                                     (self.probe.redis_call, zv[1], self.probe.redis_call)):
            _, res = call(["RESTORE", tmp, "0", payload, "REPLACE"])
            if res != ("+", b"OK"):
                ok = False
                why.append(f"RESTORE of the other server's payload: {res!r}")
                continue
            a = self.probe.contents(other, key)
            b = self.probe.contents(other, tmp)
            call(["DEL", tmp])
            if a != b:
                ok = False
                why.append(f"cross-restored contents differ: {a!r} vs {b!r}")
        return ok, "DUMP bytes differ, cross-restore equal" if ok else "; ".join(why)
