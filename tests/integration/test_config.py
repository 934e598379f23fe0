"""Configuration: file in Redis's syntax, --option overrides, CONFIG GET/SET/RESETSTAT/REWRITE,
and refusing a bad option or value with exit code 1 and a message naming it."""

import re

import pytest
import redis

from zakros_testlib import SERVER_KIND


def test_config_get_exact_and_glob(r):
    assert r.config_get("maxclients") == {"maxclients": "10000"}
    assert r.config_get("timeout") == {"timeout": "0"}
    got = r.config_get("max*")
    assert got["maxclients"] == "10000"
    assert all(k.startswith("max") for k in got)
    assert r.config_get("no-such-option") == {}
    # Several patterns at once (Redis 7).
    got = r.execute_command("CONFIG", "GET", "timeout", "hz")
    assert dict(zip(got[::2], got[1::2])) == {"timeout": "0", "hz": "10"}


def test_config_set_runtime_settable(r):
    assert r.config_set("timeout", 30)
    assert r.config_get("timeout") == {"timeout": "30"}
    assert r.config_set("maxclients", 500)
    assert r.config_get("maxclients") == {"maxclients": "500"}
    # Several parameters in one call, applied together (Redis 7).
    assert r.execute_command("CONFIG", "SET", "timeout", "5", "hz", "20") == "OK"
    assert r.config_get("timeout") == {"timeout": "5"}
    assert r.config_get("hz") == {"hz": "20"}
    assert r.config_set("client-query-buffer-limit", "2mb")
    assert r.config_get("client-query-buffer-limit") == {"client-query-buffer-limit": "2097152"}


def test_config_set_errors(r):
    with pytest.raises(redis.ResponseError) as e:
        r.config_set("maxclients", "abc")
    assert str(e.value) == ("CONFIG SET failed (possibly related to argument 'maxclients') - "
                            "argument couldn't be parsed into an integer")
    with pytest.raises(redis.ResponseError) as e:
        r.config_set("no-such-option", "1")
    assert str(e.value) == "Unknown option or number of arguments for CONFIG SET - 'no-such-option'"
    # All-or-nothing: a bad second parameter leaves the first unchanged.
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("CONFIG", "SET", "timeout", "7", "hz", "abc")
    assert "'hz'" in str(e.value)
    assert r.config_get("timeout") == {"timeout": "0"}
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("CONFIG", "SET")
    assert str(e.value) == "wrong number of arguments for 'config|set' command"


def test_config_resetstat(r):
    for _ in range(5):
        r.ping()
    assert r.info("stats")["total_commands_processed"] >= 5
    assert r.config_resetstat()
    assert r.info("stats")["total_commands_processed"] <= 2


def test_config_file_include_and_overrides(server_factory, tmp_path):
    included = tmp_path / "included.conf"
    included.write_text("hz 15\n")
    conf = (
        "# a comment line\n"
        "maxclients 123\n"
        "timeout \"7\"\n"
        "\n"
        # Not "warning": that would hide the "Listening on" line the fixture reads the port from.
        "   loglevel   verbose\n"
        f"include {included}\n"
        "tcp-keepalive 100\n"
    )
    srv = server_factory("--timeout", "9", config_text=conf)
    r = srv.client()
    assert r.config_get("maxclients") == {"maxclients": "123"}
    assert r.config_get("timeout") == {"timeout": "9"}  # the command line wins
    assert r.config_get("loglevel") == {"loglevel": "verbose"}
    assert r.config_get("hz") == {"hz": "15"}
    assert r.config_get("tcp-keepalive") == {"tcp-keepalive": "100"}
    r.close()


def test_config_rewrite_persists_runtime_changes(server_factory):
    srv = server_factory(config_text="maxclients 123\n")
    r = srv.client()
    assert r.config_set("maxclients", 321)
    assert r.config_rewrite()
    text = srv.config_file.read_text()
    assert re.search(r"^maxclients 321$", text, re.M), text
    r.close()


def _failed_start(server_factory, *args, config_text=None):
    srv = server_factory(*args, config_text=config_text, wait=False)
    srv.expect_exit = True
    code = srv.wait_exit(timeout=15)
    return code, srv.log()


def test_bad_option_in_file_exit_1_names_option_and_line(server_factory):
    code, out = _failed_start(server_factory,
                              config_text="maxclients 100\n# comment\nno-such-option yes\n")
    assert code == 1, out
    assert "no-such-option" in out, out
    assert re.search(r"line\D{0,5}3\b", out, re.I), out


def test_bad_value_in_file_exit_1_names_option_and_line(server_factory):
    code, out = _failed_start(server_factory, config_text="timeout 5\nmaxclients abc\n")
    assert code == 1, out
    assert "maxclients" in out, out
    assert re.search(r"line\D{0,5}2\b", out, re.I), out


def test_bad_option_on_command_line_exit_1(server_factory):
    code, out = _failed_start(server_factory, "--no-such-option", "1")
    assert code == 1, out
    assert "no-such-option" in out, out


def test_bad_value_on_command_line_exit_1(server_factory):
    code, out = _failed_start(server_factory, "--maxclients", "lots")
    assert code == 1, out
    assert "maxclients" in out, out


def test_missing_config_file_exit_1(server_factory, tmp_path):
    srv = server_factory(config_file=tmp_path / "does-not-exist.conf", wait=False)
    srv.expect_exit = True
    code = srv.wait_exit(timeout=15)
    assert code == 1, srv.log()
    assert "does-not-exist.conf" in srv.log()


@pytest.mark.skipif(SERVER_KIND != "zakros", reason="zakros-only options")
@pytest.mark.parametrize("args", [
    ("--raft-enabled", "maybe"),
    ("--raft-storage", "tape"),
    ("--node-id", "-1"),
])
def test_bad_zakros_option_values_exit_1(server_factory, args):
    code, out = _failed_start(server_factory, *args)
    assert code == 1, out
    assert args[0][2:] in out, out
