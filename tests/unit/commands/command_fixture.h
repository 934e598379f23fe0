// In-process command fixture: a keyspace, the data command table and a recording event sink.
// Run({"set", "k", "v"}) executes one command the way the server's gate would (lookup,
// subcommand, arity) and returns the raw RESP reply bytes, so tests compare with what
// redis-server 7.0 sends. now_ms is a controllable clock.
#pragma once

#include <gtest/gtest.h>

#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "commands/command.h"
#include "commands/command_table.h"
#include "resp/reply_writer.h"
#include "store/keyspace.h"

namespace zakros::commands {

class RecordingEvents : public KeyspaceEvents, public store::KeyspaceObserver {
 public:
  void key_modified(int db, std::string_view key) override {
    modified.push_back(std::to_string(db) + ":" + std::string(key));
  }
  void database_modified(int db) override { databases.push_back(db); }
  void notify(char type, std::string_view event, std::string_view key, int db) override {
    if (type == 'm') return;  // keymiss is noise for most tests
    events.push_back(std::string(1, type) + " " + std::string(event) + " " + std::string(key) +
                     " " + std::to_string(db));
  }
  void key_ready(int, std::string_view) override {}
  void on_key_expired(int db, std::string_view key) override {
    events.push_back("x expired " + std::string(key) + " " + std::to_string(db));
    key_modified(db, key);
  }
  void on_key_added(int db, std::string_view key) override {
    events.push_back("n new " + std::string(key) + " " + std::to_string(db));
  }
  void clear() {
    modified.clear();
    databases.clear();
    events.clear();
  }
  std::vector<std::string> modified;
  std::vector<int> databases;
  std::vector<std::string> events;
};

// A stand-in non-string value for WRONGTYPE tests until the real types land.
class FakeList : public store::Object {
 public:
  store::ValueType type() const override { return store::ValueType::kList; }
  store::Encoding encoding() const override { return store::Encoding::kQuicklist; }
  std::unique_ptr<store::Object> clone() const override { return std::make_unique<FakeList>(); }
};

class CommandTest : public ::testing::Test {
 protected:
  CommandTest() : keyspace(16) {
    register_data_commands(table);
    keyspace.set_observer(&events);
  }

  std::string Run(std::initializer_list<std::string_view> args) {
    return Run(std::vector<std::string_view>(args));
  }
  std::string Run(const std::vector<std::string_view>& argv) {
    std::string out;
    resp::ReplyWriter writer(&out, protocol);
    const CommandSpec* spec = table.find(argv[0]);
    const CommandSpec* parent = nullptr;
    if (spec == nullptr) return "-ERR unknown command\r\n";
    if (!spec->subcommands.empty() && argv.size() >= 2) {
      const CommandSpec* sub = CommandTable::find_subcommand(*spec, argv[1]);
      if (sub == nullptr) return "-ERR unknown subcommand\r\n";
      parent = spec;
      spec = sub;
    }
    if (!spec->arity_ok(argv.size())) {
      return "-ERR wrong number of arguments for '" + full_name(parent, *spec) + "' command\r\n";
    }
    ExecContext exec;
    exec.now_ms = now_ms;
    exec.seed = seed++;
    exec.may_delete_expired = may_delete_expired;
    CommandContext ctx{argv, writer, keyspace, db_index, exec, events};
    spec->handler(ctx);
    db_index = ctx.db_index;
    return out;
  }

  void AddList(std::string_view key) {
    keyspace.db(db_index).set_object(key, std::make_unique<FakeList>(), store::kPersist,
                                     store::TimeContext{now_ms, true});
  }

  static std::string Bulk(std::string_view s) {
    return "$" + std::to_string(s.size()) + "\r\n" + std::string(s) + "\r\n";
  }
  static std::string Int(long long v) { return ":" + std::to_string(v) + "\r\n"; }
  static std::string Err(std::string_view s) { return "-" + std::string(s) + "\r\n"; }
  static constexpr std::string_view kOk = "+OK\r\n";
  static constexpr std::string_view kNil = "$-1\r\n";

  store::Keyspace keyspace;
  CommandTable table;
  RecordingEvents events;
  int64_t now_ms = 1'700'000'000'000;
  uint64_t seed = 1;
  bool may_delete_expired = true;
  int db_index = 0;
  int protocol = 2;
};

}  // namespace zakros::commands
