"""Seeded random command sequences for the differential test.

A Generator draws commands from a small keyspace, so that types collide (WRONGTYPE on purpose),
values are small integers, floats and short strings (so that INCR-like commands, intsets and
listpacks are exercised), and a few percent of the commands are deliberately malformed (an
argument dropped or added, a number replaced by garbage) to compare arity and syntax errors.

Each command is returned as Cmd(group, args): `group` is the command group whose generator
produced it (a GET emitted by the bitmap generator checks SETBIT's result, so its mismatch is
filed under bitmaps), and keys() names the keys it may touch (for resynchronising both servers
after a command whose effect legitimately differs, e.g. SPOP).

Everything is drawn from `random.Random(seed)`; the only other input is `probe`, a connection
to redis-server used for generating RESTORE payloads and type-specific reads. redis-server is
deterministic for these, so a seed always yields the same sequence. The generator does not need
the exact sequence to be reproducible across code changes: run.py prints the literal commands.
"""

import random

STR_KEYS = ["s1", "s2", "n1", "n2"]
LIST_KEYS = ["l1", "l2", "l3"]
HASH_KEYS = ["h1", "h2", "h3"]
SET_KEYS = ["S1", "S2", "S3"]
ZSET_KEYS = ["z1", "z2", "z3"]
GEO_KEYS = ["g1", "g2"]
BIT_KEYS = ["b1", "b2", "b3"]
HLL_KEYS = ["p1", "p2", "p3"]
STREAM_KEYS = ["x1", "x2"]
DEST_KEYS = ["d1", "d2"]
SORT_MEMBERS = ["a", "b", "c", "1", "2", "3", "10", "-1"]
WEIGHT_KEYS = ["w_" + m for m in SORT_MEMBERS]
OBJ_KEYS = ["o_" + m for m in SORT_MEMBERS]

HOME = {
    "strings": STR_KEYS, "keyspace": STR_KEYS + LIST_KEYS + HASH_KEYS + SET_KEYS + ZSET_KEYS,
    "lists": LIST_KEYS, "hashes": HASH_KEYS, "sets": SET_KEYS, "zsets": ZSET_KEYS,
    "geo": GEO_KEYS, "bitmaps": BIT_KEYS, "hll": HLL_KEYS, "streams": STREAM_KEYS,
    "sort": LIST_KEYS + SET_KEYS + ZSET_KEYS, "dump": DEST_KEYS,
}
ALL_KEYS = sorted(set(STR_KEYS + LIST_KEYS + HASH_KEYS + SET_KEYS + ZSET_KEYS + GEO_KEYS
                      + BIT_KEYS + HLL_KEYS + STREAM_KEYS + DEST_KEYS))
KEYSET = set(ALL_KEYS + WEIGHT_KEYS + OBJ_KEYS)
GROUPS = ["strings", "keyspace", "lists", "hashes", "sets", "zsets", "geo", "bitmaps", "hll",
          "streams", "sort", "dump"]

BLOCKING = {"BLPOP", "BRPOP", "BLMOVE", "BRPOPLPUSH", "BLMPOP", "BZPOPMIN", "BZPOPMAX", "BZMPOP"}
INTS = ["0", "1", "2", "3", "5", "7", "10", "-1", "-2", "100"]
STRS = ["a", "b", "c", "d", "e", "foo", "bar", ""]
LONG = "v" * 70
BAD_INTS = ["abc", "1.5", "", "0x10", "9223372036854775808", " 1", "1e3"]
FLOATS = ["1.5", "-0.5", "3", "1e2", "0", "2.5", "-3", "10.25", "inf", "-inf", "+inf"]
BAD_FLOATS = ["abc", "nan", "1.2.3", "", "1e"]


class Cmd:
    __slots__ = ("group", "args")

    def __init__(self, group, args):
        self.group = group
        self.args = [a if isinstance(a, bytes) else str(a).encode() for a in args]

    @property
    def name(self):
        return self.args[0].decode(errors="replace").upper() if self.args else ""

    def keys(self):
        return sorted({a.decode() for a in self.args[1:]
                       if a.decode(errors="replace") in KEYSET})

    def __repr__(self):
        return fmt_args(self.args)


def fmt_args(args):
    """redis-cli-like rendering: plain words bare, anything else double-quoted with escapes."""
    out = []
    for a in args:
        s = a.decode("latin-1")
        if s and all(c.isalnum() or c in "_-.:+*$#()[]<>=~/@^!?&|%{}," for c in s):
            out.append(s)
        else:
            esc = []
            for ch in a:
                c = chr(ch)
                if c == '"' or c == "\\":
                    esc.append("\\" + c)
                elif 32 <= ch < 127:
                    esc.append(c)
                else:
                    esc.append("\\x%02x" % ch)
            out.append('"' + "".join(esc) + '"')
    return " ".join(out)


class Generator:
    def __init__(self, seed, probe=None, groups=None):
        self.r = random.Random(seed)
        self.probe = probe
        self.groups = groups or GROUPS
        self.by_group = {g: getattr(self, "g_" + g) for g in self.groups}

    # ---- small helpers -------------------------------------------------------------------
    def p(self, prob):
        return self.r.random() < prob

    def c(self, seq):
        return self.r.choice(seq)

    def key(self, group):
        if self.p(0.12):
            return self.c(ALL_KEYS)
        return self.c(HOME[group])

    def keys(self, group, lo=1, hi=3):
        return [self.key(group) for _ in range(self.r.randint(lo, hi))]

    def int_(self, lo=-3, hi=10):
        if self.p(0.03):
            return self.c(BAD_INTS)
        return str(self.r.randint(lo, hi))

    def float_(self):
        if self.p(0.03):
            return self.c(BAD_FLOATS)
        if self.p(0.5):
            return self.c(FLOATS)
        return str(self.r.randint(-5, 20))

    def value(self):
        x = self.r.random()
        if x < 0.45:
            return self.c(INTS)
        if x < 0.6:
            return self.c(FLOATS[:8])
        if x < 0.95:
            return self.c(STRS)
        return LONG

    def member(self, ints_only=False):
        if ints_only or self.p(0.5):
            return self.c(INTS)
        if self.p(0.05):
            return LONG
        return self.c(STRS[:7])

    def count(self, lo=-2, hi=6):
        return self.int_(lo, hi)

    def timeout(self):
        x = self.r.random()
        if x < 0.9:
            return "0.01"
        return self.c(["-1", "abc", "0.02"])

    def inspect(self, group):
        k = self.key(group)
        return [self.c(["TYPE", "EXISTS", "OBJECT"]), k] if self.p(0.7) else ["OBJECT", "ENCODING", k]

    # ---- the generic malformation step ----------------------------------------------------
    def next(self):
        group = self.c(self.groups)
        args = self.by_group[group]()
        if args and args[0] == "OBJECT" and len(args) == 2:
            args = ["OBJECT", "ENCODING", args[1]]
        if self.p(0.04) and len(args) > 1:
            m = self.r.random()
            if args[0] in BLOCKING or "BLOCK" in args:
                m = 0.0  # only drop an argument: a garbage timeout could block for long
            if m < 0.4:
                args = args[:-1]
            elif m < 0.7:
                args = args + [self.c(["BOGUS", "1", "WITHSCORES", "COUNT"])]
            else:
                # Never "0": it would turn a blocking command's timeout into "forever".
                i = self.r.randrange(1, len(args))
                args = args[:i] + [self.c(BAD_INTS + ["-5"])] + args[i + 1:]
        return Cmd(group, args)

    # ---- strings ---------------------------------------------------------------------------
    def g_strings(self):
        k = self.key("strings")
        r = self.r.random()
        if r < 0.12:
            a = ["SET", k, self.value()]
            if self.p(0.3):
                # No EXAT/PXAT in the past: SET keeps such a key until active expiry removes it,
                # so DBSIZE would depend on the expiry cycle's timing in each server.
                a += self.c([["EX", self.c(["100", "1000", "0", "-1", "abc"])],
                             ["PX", self.c(["100000", "0"])], ["EXAT", "4000000000"],
                             ["PXAT", "4000000000000"], ["KEEPTTL"]])
            if self.p(0.2):
                a.append(self.c(["NX", "XX"]))
            if self.p(0.2):
                a.append("GET")
            return a
        return self.c([
            lambda: ["GET", k],
            lambda: ["GETSET", k, self.value()],
            lambda: ["GETDEL", k],
            lambda: ["GETEX", k] + self.c([[], ["PERSIST"], ["EX", "1000"], ["PXAT", "1"]]),
            lambda: ["SETNX", k, self.value()],
            lambda: ["SETEX", k, self.c(["1000", "0", "x"]), self.value()],
            lambda: ["PSETEX", k, "100000", self.value()],
            lambda: ["MSET", k, self.value(), self.key("strings"), self.value()],
            lambda: ["MSETNX", k, self.value(), self.key("strings"), self.value()],
            lambda: ["MGET"] + self.keys("strings"),
            lambda: ["APPEND", k, self.value()],
            lambda: ["STRLEN", k],
            lambda: ["INCR", k], lambda: ["DECR", k],
            lambda: ["INCRBY", k, self.int_(-100, 100)],
            lambda: ["DECRBY", k, self.int_(-100, 100)],
            lambda: ["INCRBYFLOAT", k, self.float_()],
            lambda: ["GETRANGE", k, self.int_(-5, 5), self.int_(-5, 10)],
            lambda: ["SUBSTR", k, self.int_(-5, 5), self.int_(-5, 10)],
            lambda: ["SETRANGE", k, self.int_(0, 12), self.value()],
            lambda: ["LCS", k, self.key("strings")] + self.c([[], ["LEN"], ["IDX", "WITHMATCHLEN"],
                                                              ["IDX", "MINMATCHLEN", "1"]]),
            lambda: self.inspect("strings"),
        ])()

    # ---- keyspace --------------------------------------------------------------------------
    def g_keyspace(self):
        k = self.key("keyspace")
        if self.p(0.003):
            return ["FLUSHDB"]
        if self.p(0.005):
            return ["SWAPDB", "0", "1"]
        return self.c([
            lambda: ["DEL"] + self.keys("keyspace", 1, 2),
            lambda: ["UNLINK"] + self.keys("keyspace", 1, 2),
            lambda: ["EXISTS"] + self.keys("keyspace", 1, 3),
            lambda: ["TYPE", k],
            lambda: ["EXPIRE", k, self.c(["100", "1000", "100000", "-1", "0", "abc"])]
            + self.c([[], [], ["NX"], ["XX"], ["GT"], ["LT"]]),
            lambda: ["PEXPIRE", k, self.c(["100000", "5000000"])] + self.c([[], ["GT"], ["LT"]]),
            lambda: ["EXPIREAT", k, self.c(["1", "4000000000", "4000000001"])],
            lambda: ["PEXPIREAT", k, self.c(["1", "4000000000000"])],
            lambda: ["TTL", k], lambda: ["PTTL", k],
            lambda: ["EXPIRETIME", k], lambda: ["PEXPIRETIME", k],
            lambda: ["PERSIST", k],
            lambda: ["RENAME", k, self.key("keyspace")],
            lambda: ["RENAMENX", k, self.key("keyspace")],
            lambda: ["COPY", k, self.c(HOME["keyspace"] + DEST_KEYS)]
            + self.c([[], ["REPLACE"], ["DB", "1"], ["DB", "1", "REPLACE"]]),
            lambda: ["MOVE", k, "1"],
            lambda: ["KEYS", self.c(["*", "?1", "l*", "[hz]*", "*2", "x"])],
            lambda: ["SCAN", "0"] + self.c([[], ["MATCH", "*1"], ["TYPE", self.c(
                ["string", "list", "hash", "set", "zset", "stream", "foo"])]]) + ["COUNT", "1000"],
            lambda: ["RANDOMKEY"],
            lambda: ["DBSIZE"],
            lambda: ["OBJECT", "ENCODING", k],
            lambda: ["OBJECT", self.c(["REFCOUNT", "IDLETIME", "FREQ", "NOPE"]), k],
            lambda: ["TOUCH"] + self.keys("keyspace", 1, 2),
        ])()

    # ---- lists -----------------------------------------------------------------------------
    def g_lists(self):
        k = self.key("lists")
        wh = lambda: self.c(["LEFT", "RIGHT"])
        return self.c([
            lambda: [self.c(["LPUSH", "RPUSH"]), k] + [self.value() for _ in range(self.r.randint(1, 4))],
            lambda: [self.c(["LPUSH", "RPUSH"]), k] + [self.value() for _ in range(self.r.randint(1, 4))],
            lambda: [self.c(["LPUSHX", "RPUSHX"]), k, self.value()],
            lambda: [self.c(["LPOP", "RPOP"]), k] + ([self.count(-1, 4)] if self.p(0.5) else []),
            lambda: ["LLEN", k],
            lambda: ["LINDEX", k, self.int_(-5, 5)],
            lambda: ["LSET", k, self.int_(-4, 4), self.value()],
            lambda: ["LRANGE", k, self.int_(-5, 3), self.int_(-5, 8)],
            lambda: ["LRANGE", k, "0", "-1"],
            lambda: ["LTRIM", k, self.int_(0, 1), self.c(["-1", "-2", "5", "10"])],
            lambda: ["LREM", k, self.int_(-2, 2), self.value()],
            lambda: ["LINSERT", k, self.c(["BEFORE", "AFTER", "MIDDLE"]), self.value(), self.value()],
            lambda: ["LPOS", k, self.value()] + (["RANK", self.int_(-2, 2)] if self.p(0.4) else [])
            + (["COUNT", self.int_(0, 3)] if self.p(0.4) else [])
            + (["MAXLEN", self.int_(0, 5)] if self.p(0.3) else []),
            lambda: ["LMOVE", k, self.key("lists"), wh(), wh()],
            lambda: ["RPOPLPUSH", k, self.key("lists")],
            lambda: ["LMPOP", str(len(ks := self.keys("lists", 1, 2))), *ks, wh()]
            + (["COUNT", self.int_(0, 3)] if self.p(0.5) else []),
            lambda: [self.c(["BLPOP", "BRPOP"])] + self.keys("lists", 1, 2) + [self.timeout()],
            lambda: ["BLMOVE", k, self.key("lists"), wh(), wh(), self.timeout()],
            lambda: ["BRPOPLPUSH", k, self.key("lists"), self.timeout()],
            lambda: ["BLMPOP", self.timeout(), str(len(ks := self.keys("lists", 1, 2))), *ks, wh()]
            + (["COUNT", self.int_(1, 3)] if self.p(0.5) else []),
            lambda: self.inspect("lists"),
        ])()

    # ---- hashes ----------------------------------------------------------------------------
    def field(self):
        if self.p(0.04):
            return LONG
        return self.c(["f1", "f2", "f3", "f4", "f5", "f6", "a", "1"])

    def g_hashes(self):
        k = self.key("hashes")
        fv = lambda n: [x for _ in range(n) for x in (self.field(), self.value())]
        return self.c([
            lambda: ["HSET", k] + fv(self.r.randint(1, 3)),
            lambda: ["HSET", k] + fv(self.r.randint(1, 3)),
            lambda: ["HSETNX", k, self.field(), self.value()],
            lambda: ["HGET", k, self.field()],
            lambda: ["HMGET", k] + [self.field() for _ in range(self.r.randint(1, 3))],
            lambda: ["HMSET", k] + fv(self.r.randint(1, 2)),
            lambda: ["HDEL", k] + [self.field() for _ in range(self.r.randint(1, 2))],
            lambda: ["HLEN", k],
            lambda: ["HSTRLEN", k, self.field()],
            lambda: ["HEXISTS", k, self.field()],
            lambda: ["HKEYS", k], lambda: ["HVALS", k], lambda: ["HGETALL", k],
            lambda: ["HINCRBY", k, self.field(), self.int_(-10, 10)],
            lambda: ["HINCRBYFLOAT", k, self.field(), self.float_()],
            lambda: ["HRANDFIELD", k] + self.c([[], [self.count(-5, 5)],
                                                [self.count(-5, 5), "WITHVALUES"]]),
            lambda: ["HSCAN", k, "0"] + (["MATCH", self.c(["f*", "*1", "a"])] if self.p(0.3) else [])
            + ["COUNT", "1000"],
            lambda: self.inspect("hashes"),
        ])()

    # ---- sets ------------------------------------------------------------------------------
    def g_sets(self):
        k = self.key("sets")
        io = self.p(0.5)
        ms = lambda lo, hi: [self.member(io) for _ in range(self.r.randint(lo, hi))]
        ks = lambda: self.keys("sets", 1, 3)
        return self.c([
            lambda: ["SADD", k] + ms(1, 4),
            lambda: ["SADD", k] + ms(1, 4),
            lambda: ["SREM", k] + ms(1, 2),
            lambda: ["SCARD", k],
            lambda: ["SISMEMBER", k, self.member(io)],
            lambda: ["SMISMEMBER", k] + ms(1, 3),
            lambda: ["SMEMBERS", k],
            lambda: ["SPOP", k] + ([self.count(-1, 5)] if self.p(0.5) else []),
            lambda: ["SRANDMEMBER", k] + ([self.count(-5, 5)] if self.p(0.7) else []),
            lambda: ["SMOVE", k, self.key("sets"), self.member(io)],
            lambda: ["SINTER"] + ks(), lambda: ["SUNION"] + ks(), lambda: ["SDIFF"] + ks(),
            lambda: ["SINTERCARD", str(len(x := ks())), *x]
            + (["LIMIT", self.int_(0, 3)] if self.p(0.4) else []),
            lambda: [self.c(["SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"]),
                     self.c(SET_KEYS + DEST_KEYS)] + ks(),
            lambda: ["SSCAN", k, "0"] + (["MATCH", self.c(["*1", "a*", "?"])] if self.p(0.3) else [])
            + ["COUNT", "1000"],
            lambda: self.inspect("sets"),
        ])()

    # ---- sorted sets -------------------------------------------------------------------------
    def score_bound(self):
        return self.c(["-inf", "+inf", "(1", "2", "(3.5", "0", "5", "(-1", "10", "abc", "(inf"])

    def lex_bound(self):
        return self.c(["-", "+", "[a", "(b", "[c", "(1", "[5", "x", "[", "(foo"])

    def g_zsets(self):
        k = self.key("zsets")
        ks = lambda: self.keys("zsets", 1, 3)
        sm = lambda n: [x for _ in range(n) for x in (self.float_(), self.member())]
        ws = lambda: ["WITHSCORES"] if self.p(0.5) else []
        lim = lambda: (["LIMIT", self.int_(-1, 2), self.int_(-1, 3)] if self.p(0.3) else [])

        def zadd():
            a = ["ZADD", k]
            for opt, prob in (("NX", 0.1), ("XX", 0.1), ("GT", 0.1), ("LT", 0.05), ("CH", 0.2),
                              ("INCR", 0.1)):
                if self.p(prob):
                    a.append(opt)
            pairs = sm(1 if "INCR" in a and self.p(0.8) else self.r.randint(1, 3))
            if self.p(0.3):
                # Equal scores, where the lex-range commands have a defined result.
                pairs = [("0" if i % 2 == 0 else x) for i, x in enumerate(pairs)]
            return a + pairs

        def zrange(store):
            a = ["ZRANGESTORE", self.c(ZSET_KEYS + DEST_KEYS), k] if store else ["ZRANGE", k]
            mode = self.r.random()
            rev = self.p(0.3)
            if mode < 0.4:
                a += [self.int_(-4, 3), self.int_(-4, 6)]
            elif mode < 0.7:
                lo, hi = self.score_bound(), self.score_bound()
                a += ([hi, lo] if rev else [lo, hi]) + ["BYSCORE"]
            else:
                lo, hi = self.lex_bound(), self.lex_bound()
                a += ([hi, lo] if rev else [lo, hi]) + ["BYLEX"]
            if rev:
                a.append("REV")
            a += lim()
            if not store:
                a += ws()
            return a

        def setop(name, store):
            x = ks()
            a = [name + ("STORE" if store else "")]
            if store:
                a.append(self.c(ZSET_KEYS + DEST_KEYS))
            a += [str(len(x))] + x
            if name != "ZDIFF":
                if self.p(0.3):
                    a += ["WEIGHTS"] + [self.float_() for _ in x]
                if self.p(0.3):
                    a += ["AGGREGATE", self.c(["SUM", "MIN", "MAX", "AVG"])]
            if not store:
                a += ws()
            return a

        return self.c([
            zadd, zadd, zadd,
            lambda: ["ZINCRBY", k, self.float_(), self.member()],
            lambda: ["ZREM", k] + [self.member() for _ in range(self.r.randint(1, 2))],
            lambda: ["ZCARD", k],
            lambda: ["ZCOUNT", k, self.score_bound(), self.score_bound()],
            lambda: ["ZLEXCOUNT", k, self.lex_bound(), self.lex_bound()],
            lambda: ["ZSCORE", k, self.member()],
            lambda: ["ZMSCORE", k] + [self.member() for _ in range(self.r.randint(1, 3))],
            lambda: [self.c(["ZRANK", "ZREVRANK"]), k, self.member()],
            lambda: zrange(False), lambda: zrange(False), lambda: zrange(True),
            lambda: [self.c(["ZRANGEBYSCORE", "ZREVRANGEBYSCORE"]), k, self.score_bound(),
                     self.score_bound()] + ws() + lim(),
            lambda: [self.c(["ZRANGEBYLEX", "ZREVRANGEBYLEX"]), k, self.lex_bound(),
                     self.lex_bound()] + lim(),
            lambda: ["ZREVRANGE", k, self.int_(-4, 3), self.int_(-4, 6)] + ws(),
            lambda: ["ZREMRANGEBYRANK", k, self.int_(-3, 2), self.int_(-3, 2)],
            lambda: ["ZREMRANGEBYSCORE", k, self.score_bound(), self.score_bound()],
            lambda: ["ZREMRANGEBYLEX", k, self.lex_bound(), self.lex_bound()],
            lambda: setop(self.c(["ZUNION", "ZINTER", "ZDIFF"]), False),
            lambda: setop(self.c(["ZUNION", "ZINTER", "ZDIFF"]), True),
            lambda: ["ZINTERCARD", str(len(x := ks())), *x]
            + (["LIMIT", self.int_(0, 3)] if self.p(0.4) else []),
            lambda: [self.c(["ZPOPMIN", "ZPOPMAX"]), k] + ([self.count(-1, 3)] if self.p(0.5) else []),
            lambda: ["ZMPOP", str(len(x := self.keys("zsets", 1, 2))), *x, self.c(["MIN", "MAX"])]
            + (["COUNT", self.int_(0, 3)] if self.p(0.5) else []),
            lambda: [self.c(["BZPOPMIN", "BZPOPMAX"])] + self.keys("zsets", 1, 2) + [self.timeout()],
            lambda: ["BZMPOP", self.timeout(), str(len(x := self.keys("zsets", 1, 2))), *x,
                     self.c(["MIN", "MAX"])] + (["COUNT", self.int_(1, 3)] if self.p(0.5) else []),
            lambda: ["ZRANDMEMBER", k] + self.c([[], [self.count(-5, 5)],
                                                 [self.count(-5, 5), "WITHSCORES"]]),
            lambda: ["ZSCAN", k, "0"] + (["MATCH", self.c(["*1", "a*"])] if self.p(0.3) else [])
            + ["COUNT", "1000"],
            lambda: ["ZRANGE", k, "0", "-1", "WITHSCORES"],
            lambda: self.inspect("zsets"),
        ])()

    # ---- geo -------------------------------------------------------------------------------
    LONS = ["13.361389", "15.087269", "13.5", "14.0", "12.0", "-122.27652", "2.2945", "0",
            "179.9", "-180"]
    LATS = ["38.115556", "37.502669", "37.0", "40.0", "48.8583", "37.8324", "0", "85.05",
            "-85.05"]

    def lonlat(self):
        if self.p(0.03):
            return [self.c(["181", "abc", "13"]), self.c(["86", "38", "x"])]
        return [self.c(self.LONS), self.c(self.LATS)]

    def geomember(self):
        return self.c(["Palermo", "Catania", "a", "b", "c", "d", "Paris", "x"])

    def g_geo(self):
        k = self.key("geo")
        unit = lambda: self.c(["m", "km", "mi", "ft"] * 6 + ["parsec"])
        radius = lambda: self.c(["1", "50", "100", "200", "500", "5000", "20000", "0", "-1"])

        def withs():
            a = []
            for o in ("WITHCOORD", "WITHDIST", "WITHHASH"):
                if self.p(0.4):
                    a.append(o)
            if self.p(0.4):
                a += ["COUNT", self.int_(0, 4)] + (["ANY"] if self.p(0.3) else [])
            if self.p(0.5):
                a.append(self.c(["ASC", "DESC"]))
            return a

        def georadius(bymember, ro, store):
            name = "GEORADIUSBYMEMBER" if bymember else "GEORADIUS"
            a = [name + ("_RO" if ro else ""), k]
            a += [self.geomember()] if bymember else self.lonlat()
            a += [radius(), unit()] + withs()
            if store:
                a += [self.c(["STORE", "STOREDIST"]), self.c(GEO_KEYS + DEST_KEYS)]
            return a

        def geosearch(store):
            a = ["GEOSEARCHSTORE", self.c(GEO_KEYS + DEST_KEYS), k] if store else ["GEOSEARCH", k]
            a += (["FROMMEMBER", self.geomember()] if self.p(0.5)
                  else ["FROMLONLAT"] + self.lonlat())
            a += (["BYRADIUS", radius(), unit()] if self.p(0.6)
                  else ["BYBOX", radius(), radius(), unit()])
            w = withs()
            if store:
                w = [x for x in w if x not in ("WITHCOORD", "WITHDIST", "WITHHASH")]
                if self.p(0.3):
                    w.append("STOREDIST")
            return a + w

        def geoadd():
            a = ["GEOADD", k]
            for o, pr in (("NX", 0.1), ("XX", 0.1), ("CH", 0.2)):
                if self.p(pr):
                    a.append(o)
            for _ in range(self.r.randint(1, 3)):
                a += self.lonlat() + [self.geomember()]
            return a

        return self.c([
            geoadd, geoadd,
            lambda: ["GEODIST", k, self.geomember(), self.geomember()] + ([unit()] if self.p(0.5) else []),
            lambda: ["GEOHASH", k] + [self.geomember() for _ in range(self.r.randint(0, 3))],
            lambda: ["GEOPOS", k] + [self.geomember() for _ in range(self.r.randint(0, 3))],
            lambda: georadius(False, False, False), lambda: georadius(True, False, False),
            lambda: georadius(self.p(0.5), True, False), lambda: georadius(self.p(0.5), False, True),
            lambda: geosearch(False), lambda: geosearch(False), lambda: geosearch(True),
            lambda: ["ZRANGE", k, "0", "-1", "WITHSCORES"],
            lambda: ["ZREM", k, self.geomember()],
            lambda: self.inspect("geo"),
        ])()

    # ---- bitmaps ---------------------------------------------------------------------------
    def bit_offset(self):
        if self.p(0.03):
            return self.c(["-1", "4294967296", "abc"])
        return str(self.r.randint(0, 200))

    def bf_type(self):
        if self.p(0.03):
            return self.c(["i65", "u64", "x8", "i0"])
        return self.c(["i1", "u1", "i4", "u4", "i8", "u8", "i16", "u16", "i32", "u31", "i64",
                       "u63", "i5", "u7"])

    def bf_offset(self):
        return self.c([str(self.r.randint(0, 100)), "#" + str(self.r.randint(0, 10))])

    def g_bitmaps(self):
        k = self.key("bitmaps")
        rng = lambda: (([self.int_(-5, 5), self.int_(-5, 10)] + ([self.c(["BYTE", "BIT", "WORD"])]
                                                                  if self.p(0.5) else []))
                       if self.p(0.6) else [])

        def bitfield(ro):
            a = ["BITFIELD_RO" if ro else "BITFIELD", k]
            for _ in range(self.r.randint(1, 4)):
                x = self.r.random()
                if ro or x < 0.35:
                    a += ["GET", self.bf_type(), self.bf_offset()]
                elif x < 0.6:
                    a += ["SET", self.bf_type(), self.bf_offset(), self.int_(-200, 300)]
                elif x < 0.85:
                    a += ["INCRBY", self.bf_type(), self.bf_offset(), self.int_(-200, 300)]
                else:
                    a += ["OVERFLOW", self.c(["WRAP", "SAT", "FAIL", "BAD"])]
            return a

        return self.c([
            lambda: ["SETBIT", k, self.bit_offset(), self.c(["0", "1", "1", "2"])],
            lambda: ["SETBIT", k, self.bit_offset(), "1"],
            lambda: ["GETBIT", k, self.bit_offset()],
            lambda: ["BITCOUNT", k] + rng(),
            lambda: ["BITPOS", k, self.c(["0", "1", "1", "2"])] + rng(),
            lambda: ["BITPOS", k, self.c(["0", "1"]), self.int_(-5, 5)],
            lambda: ["BITOP", self.c(["AND", "OR", "XOR", "NOT", "NAND"]),
                     self.c(BIT_KEYS + DEST_KEYS)] + self.keys("bitmaps", 1, 3),
            lambda: bitfield(False), lambda: bitfield(False), lambda: bitfield(True),
            lambda: ["GET", k],
            lambda: ["SET", k, self.c(["", "\xff", "ab", "\x00\x01"])],
            lambda: self.inspect("bitmaps"),
        ])()

    # ---- hyperloglog -----------------------------------------------------------------------
    def g_hll(self):
        k = self.key("hll")

        def pfadd():
            n = self.c([0, 1, 2, 5, 50, 200]) if self.p(0.3) else self.r.randint(1, 4)
            base = self.r.randint(0, 5000)
            return ["PFADD", k] + ["e%d" % (base + i * 7) for i in range(n)]

        def set_from_redis():
            # A HyperLogLog written by real Redis must count the same here.
            src = self.c(HLL_KEYS)
            raw = None
            if self.probe is not None:
                _, v = self.probe.call(["GET", src])
                if v[0] == "$" and v[1]:
                    raw = v[1]
            if raw is None:
                return ["PFCOUNT", src]
            if self.p(0.2):
                b = bytearray(raw)
                i = self.r.randrange(len(b))
                b[i] ^= 0xFF
                raw = bytes(b)
            return ["SET", self.c(HLL_KEYS), raw]

        return self.c([
            pfadd, pfadd, pfadd,
            lambda: ["PFCOUNT"] + self.keys("hll", 1, 3),
            lambda: ["PFCOUNT", k],
            lambda: ["PFMERGE", self.c(HLL_KEYS + DEST_KEYS)] + self.keys("hll", 0, 3),
            lambda: ["PFDEBUG", self.c(["GETREG", "DECODE", "ENCODING", "TODENSE", "BOGUS"]), k],
            lambda: ["GET", k], set_from_redis,
            lambda: ["SETRANGE", k, str(self.r.randint(0, 20)), self.c(["\xff", "x", "\x00"])]
            if self.p(0.2) else ["PFCOUNT", k],
            lambda: ["PFSELFTEST"] if self.p(0.05) else ["STRLEN", k],
            lambda: self.inspect("hll"),
        ])()

    # ---- streams ---------------------------------------------------------------------------
    def sid(self, partial=True):
        x = self.r.random()
        if x < 0.03:
            return self.c(["abc", "0-0", "-", "1-x"])
        ms = self.r.randint(0, 30)
        if partial and x < 0.2:
            return "%d-*" % ms
        if x < 0.3:
            return str(ms)
        return "%d-%d" % (ms, self.r.randint(0, 3))

    def range_id(self):
        return self.c(["-", "+", self.sid(False), self.sid(False), "(" + self.sid(False)])

    def g_streams(self):
        k = self.key("streams")
        grp = lambda: self.c(["g1", "g2", "g1", "nogroup"])
        cons = lambda: self.c(["c1", "c2", "c3"])
        ids = lambda: [self.sid(False) for _ in range(self.r.randint(1, 3))]

        def trim_spec():
            a = [self.c(["MAXLEN", "MINID"])]
            if self.p(0.5):
                a.append(self.c(["=", "~"]))
            a.append(self.c(["0", "1", "2", "5", "abc"]) if a[0] == "MAXLEN" else self.sid(False))
            if self.p(0.15):
                a += ["LIMIT", self.c(["0", "1", "10", "100"])]
            return a

        def xadd():
            a = ["XADD", k]
            if self.p(0.1):
                a.append("NOMKSTREAM")
            if self.p(0.2):
                a += trim_spec()
            a.append(self.sid())
            for _ in range(self.r.randint(1, 2)):
                a += [self.c(["f", "g", "h"]), self.value()]
            return a

        def xread(group):
            a = ["XREADGROUP", "GROUP", grp(), cons()] if group else ["XREAD"]
            if self.p(0.5):
                a += ["COUNT", self.int_(0, 3)]
            if self.p(0.15):
                a += ["BLOCK", self.c(["10", "-1"])]
            if group and self.p(0.2):
                a.append("NOACK")
            ks = self.keys("streams", 1, 2)
            if group:
                idl = [self.c([">", ">", "0", self.sid(False)]) for _ in ks]
            else:
                idl = [self.c(["0", "$", self.sid(False)]) for _ in ks]
            return a + ["STREAMS"] + ks + idl

        def xpending():
            a = ["XPENDING", k, grp()]
            if self.p(0.6):
                if self.p(0.3):
                    a += ["IDLE", self.c(["0", "100000000"])]
                a += [self.range_id(), self.range_id(), self.int_(0, 5)]
                if self.p(0.3):
                    a.append(cons())
            return a

        def xclaim():
            a = ["XCLAIM", k, grp(), cons(), self.c(["0", "0", "100000000", "-1"])] + ids()
            for o, pr in (("IDLE", 0.15), ("TIME", 0.1), ("RETRYCOUNT", 0.15), ("FORCE", 0.2),
                          ("JUSTID", 0.3), ("LASTID", 0.1)):
                if self.p(pr):
                    a.append(o)
                    if o == "IDLE":
                        a.append(self.c(["0", "1000"]))
                    elif o == "TIME":
                        a.append(self.c(["1000", "4000000000000"]))
                    elif o == "RETRYCOUNT":
                        a.append(self.int_(0, 5))
                    elif o == "LASTID":
                        a.append(self.sid(False))
            return a

        return self.c([
            xadd, xadd, xadd, xadd,
            lambda: ["XLEN", k],
            lambda: ["XRANGE", k, self.range_id(), self.range_id()]
            + (["COUNT", self.int_(0, 3)] if self.p(0.3) else []),
            lambda: ["XREVRANGE", k, self.range_id(), self.range_id()]
            + (["COUNT", self.int_(0, 3)] if self.p(0.3) else []),
            lambda: ["XRANGE", k, "-", "+"],
            lambda: ["XDEL", k] + ids(),
            lambda: ["XTRIM", k] + trim_spec(),
            lambda: ["XSETID", k, self.sid(False)]
            + (["ENTRIESADDED", self.int_(0, 20)] if self.p(0.3) else [])
            + (["MAXDELETEDID", self.sid(False)] if self.p(0.3) else []),
            lambda: xread(False), lambda: xread(True), lambda: xread(True),
            lambda: ["XGROUP", "CREATE", k, grp(), self.c(["0", "$", self.sid(False)])]
            + (["MKSTREAM"] if self.p(0.4) else [])
            + (["ENTRIESREAD", self.int_(-1, 5)] if self.p(0.2) else []),
            lambda: ["XGROUP", "SETID", k, grp(), self.c(["0", "$", self.sid(False)])]
            + (["ENTRIESREAD", self.int_(-1, 5)] if self.p(0.2) else []),
            lambda: ["XGROUP", "DESTROY", k, grp()],
            lambda: ["XGROUP", self.c(["CREATECONSUMER", "DELCONSUMER"]), k, grp(), cons()],
            lambda: ["XACK", k, grp()] + ids(),
            xpending, xpending, xclaim,
            lambda: ["XAUTOCLAIM", k, grp(), cons(), self.c(["0", "100000000"]),
                     self.c(["0", "0-0", self.sid(False)])]
            + (["COUNT", self.int_(0, 5)] if self.p(0.4) else [])
            + (["JUSTID"] if self.p(0.3) else []),
            lambda: ["XINFO", "STREAM", k] + (["FULL"] + (["COUNT", self.int_(0, 3)]
                                                          if self.p(0.4) else [])
                                              if self.p(0.4) else []),
            lambda: ["XINFO", "GROUPS", k],
            lambda: ["XINFO", "CONSUMERS", k, grp()],
            lambda: self.inspect("streams"),
        ])()

    # ---- sort ------------------------------------------------------------------------------
    def g_sort(self):
        k = self.key("sort")
        if self.p(0.15):
            m = self.c(SORT_MEMBERS)
            if self.p(0.5):
                return ["SET", "w_" + m, self.c(["1", "2", "3", "-5", "1.5", "x", "10"])]
            return ["HSET", "o_" + m, self.c(["f", "g"]), self.c(["1", "2", "3", "-5", "1.5", "x"])]
        if self.p(0.12):
            # Put sortable members into the shared keys.
            t = self.c(["list", "set", "zset"])
            ms = [self.c(SORT_MEMBERS) for _ in range(self.r.randint(1, 4))]
            if t == "list":
                return ["RPUSH", self.c(LIST_KEYS)] + ms
            if t == "set":
                return ["SADD", self.c(SET_KEYS)] + ms
            return ["ZADD", self.c(ZSET_KEYS)] + [x for m in ms for x in (self.int_(0, 5), m)]
        ro = self.p(0.3)
        a = ["SORT_RO" if ro else "SORT", k]
        if self.p(0.4):
            a += ["BY", self.c(["w_*", "o_*->f", "nosort", "w_", "missing_*", "o_*->g"])]
        if self.p(0.3):
            a += ["LIMIT", self.int_(-1, 3), self.int_(-1, 4)]
        for _ in range(self.c([0, 0, 1, 2])):
            a += ["GET", self.c(["#", "w_*", "o_*->f", "missing_*", "o_*->g"])]
        if self.p(0.3):
            a.append(self.c(["ASC", "DESC"]))
        if self.p(0.4):
            a.append("ALPHA")
        if not ro and self.p(0.2):
            a += ["STORE", self.c(DEST_KEYS)]
        return a

    # ---- dump / restore --------------------------------------------------------------------
    def g_dump(self):
        k = self.c(ALL_KEYS)
        x = self.r.random()
        if x < 0.3:
            return ["DUMP", k]
        if x < 0.75:
            payload = b"\x00\x01a\n\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
            if self.probe is not None:
                _, v = self.probe.call(["DUMP", self.c(ALL_KEYS)])
                if v[0] == "$" and v[1] is not None:
                    payload = v[1]
            if self.p(0.15):
                b = bytearray(payload)
                how = self.r.random()
                if how < 0.4:
                    i = self.r.randrange(len(b))
                    b[i] ^= 1 << self.r.randrange(8)
                elif how < 0.7:
                    b = b[:self.r.randrange(len(b))]
                else:
                    b[-10:-8] = b"\x09\x00"  # an older RDB version, same checksum position
                payload = bytes(b)
            dst = self.c(DEST_KEYS + DEST_KEYS + [k])
            a = ["RESTORE", dst, self.c(["0", "0", "0", "100000", "-1", "x"]), payload]
            if self.p(0.4):
                a.append("REPLACE")
            if self.p(0.15):
                a = a[:2] + [self.c(["1", "4000000000000"])] + a[3:] + ["ABSTTL"]
            if self.p(0.15):
                a += ["IDLETIME", self.c(["0", "100", "-1"])]
            if self.p(0.1):
                a += ["FREQ", self.c(["0", "5", "256"])]
            return a
        dst = self.c(DEST_KEYS)
        t = None
        if self.probe is not None:
            _, v = self.probe.call(["TYPE", dst])
            t = v[1].decode()
        return {
            "string": ["GET", dst], "list": ["LRANGE", dst, "0", "-1"], "hash": ["HGETALL", dst],
            "set": ["SMEMBERS", dst], "zset": ["ZRANGE", dst, "0", "-1", "WITHSCORES"],
            "stream": ["XRANGE", dst, "-", "+"],
        }.get(t, self.c([["TYPE", dst], ["OBJECT", "ENCODING", dst], ["PTTL", dst]]))
