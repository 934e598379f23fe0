"""The checkers must accept linearizable histories and reject the classic anomalies."""

from checker import check_append_history, check_appends, check_register, check_registers


def op(f, value, start, end, ok=True, key="k"):
    return {"f": f, "key": key, "value": value, "start": start, "end": end, "ok": ok}


def test_sequential_history_is_linearizable():
    h = [op("write", 1, 0, 1), op("read", 1, 2, 3), op("write", 2, 4, 5), op("read", 2, 6, 7)]
    assert check_register(h)[0]


def test_concurrent_write_may_be_seen_or_not():
    h = [op("write", 1, 0, 10), op("read", None, 1, 2), op("read", 1, 3, 4)]
    assert check_register(h)[0]


def test_stale_read_is_rejected():
    # The write of 2 completed before the read started, yet the read saw 1.
    h = [op("write", 1, 0, 1), op("write", 2, 2, 3), op("read", 1, 4, 5)]
    assert not check_register(h)[0]


def test_reads_going_back_in_time_are_rejected():
    h = [op("write", 1, 0, 1), op("write", 2, 2, 10), op("read", 2, 3, 4), op("read", 1, 5, 6)]
    assert not check_register(h)[0]


def test_unknown_write_may_have_happened_or_not():
    lost = [op("write", 1, 0, 1), op("write", 2, 2, None, ok=None), op("read", 1, 5, 6)]
    assert check_register(lost)[0]
    applied = [op("write", 1, 0, 1), op("write", 2, 2, None, ok=None), op("read", 2, 5, 6)]
    assert check_register(applied)[0]


def test_unknown_write_cannot_take_effect_before_it_started():
    h = [op("write", 1, 0, 1), op("read", 2, 2, 3), op("write", 2, 4, None, ok=None)]
    assert not check_register(h)[0]


def test_cas_needs_the_expected_value():
    good = [op("write", 1, 0, 1), op("cas", (1, 5), 2, 3), op("read", 5, 4, 5)]
    assert check_register(good)[0]
    bad = [op("write", 1, 0, 1), op("cas", (3, 5), 2, 3), op("read", 5, 4, 5)]
    assert not check_register(bad)[0]


def test_keys_are_checked_separately():
    h = [op("write", 1, 0, 1, key="a"), op("write", 2, 0, 1, key="b"),
         op("read", 1, 2, 3, key="a"), op("read", 1, 2, 3, key="b")]
    ok, info = check_registers(h)
    assert not ok
    assert info["a"].endswith("linearized")


def test_many_concurrent_operations_finish():
    h = []
    for i in range(40):
        h.append(op("write", i, i, i + 5))
        h.append(op("read", i, i + 1, i + 6))
    assert check_register(h)[0]


def test_appends():
    ok, problems = check_appends({1, 2, 3}, {4}, [[1], [1, 2]], [1, 2, 4, 3])
    assert ok, problems
    assert not check_appends({1, 2, 3}, set(), [], [1, 3])[0]  # lost
    assert not check_appends({1, 2}, set(), [], [1, 2, 2])[0]  # duplicated
    assert not check_appends({1, 2}, set(), [[2]], [1, 2])[0]  # reordered


def test_definite_failures_are_ignored_but_their_effects_are_caught():
    # A write refused with -CLUSTERDOWN (ok False) is ignored...
    h = [op("write", 1, 0, 1), op("write", 2, 2, 3, ok=False), op("read", 1, 4, 5)]
    assert check_register(h)[0]
    # ...unless someone reads its value: the error lied about the write's fate.
    h = [op("write", 1, 0, 1), op("write", 2, 2, 3, ok=False), op("read", 2, 4, 5)]
    ok, info = check_register(h)
    assert ok is False and "wrote" in info


def test_unknown_reads_and_unobserved_unknown_writes_are_pruned():
    h = [op("write", 1, 0, 1), op("read", 7, 2, None, ok=None),
         op("write", 9, 2, None, ok=None), op("read", 1, 5, 6)]
    assert check_register(h) == (True, "2 ops linearized")


def test_undecided_is_not_valid():
    h = []
    for i in range(30):
        h.append(op("write", i, 0, 100))
    h.append(op("read", -1, 200, 201))  # never written: caught before any search
    assert check_register(h)[0] is False
    h[-1] = op("read", 0, 200, 201)
    assert check_register(h, max_steps=5)[0] is None


def append(value, start, end, observed, ok=True):
    return {"f": "append", "key": "l", "value": value, "start": start, "end": end, "ok": ok,
            "observed": observed}


def test_append_history_real_time_order():
    good = [append("a", 0, 1, ["a"]), append("b", 2, 3, ["a", "b"]),
            append("c", 2.5, None, None, ok=None)]
    assert check_append_history(good, ["a", "b", "c"])[0]
    # b began after a was acknowledged but comes first.
    bad = [append("a", 0, 1, ["b", "a"]), append("b", 2, 3, ["b"])]
    ok, problems = check_append_history(bad, ["b", "a"])
    assert not ok, problems
    # A transaction that began after a was acknowledged did not see it.
    stale = [append("a", 0, 1, ["a"]), append("b", 2, 3, ["b"])]
    assert not check_append_history(stale, ["a", "b"])[0]
    # Its own element is not the last one it observed.
    torn = [append("a", 0, 1, ["a", "x"])]
    assert not check_append_history(torn, ["a", "x"])[0]
