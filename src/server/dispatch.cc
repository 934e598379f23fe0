// The dispatch gate (design.md): one ordered function, as Redis's processCommand.
//   lookup -> arity -> authentication -> MULTI restrictions -> subscribed-context check ->
//   wait behind this client's commands in flight -> CLIENT PAUSE -> MULTI queueing ->
//   Raft routing (redirects, proposals, ReadIndex) or local execution.
// Handlers never re-check arity. Error texts are Redis 7.0's.
#include <chrono>

#include "commands/errors.h"
#include "server/admin/server_commands.h"
#include "server/replication/replication.h"
#include "server/server.h"
#include "server/session/blocking.h"
#include "server/session/transactions.h"
#include "util/clock.h"
#include "util/strings.h"

namespace zakros::server {

namespace {

// "unknown command 'foo', with args beginning with: 'a' 'b' " (Redis caps the quoted args at
// about 128 bytes).
std::string unknown_command_error(std::span<const std::string_view> argv) {
  std::string args;
  for (size_t i = 1; i < argv.size() && args.size() < 128; ++i) {
    size_t room = 128 - args.size();
    args += "'";
    args.append(argv[i].substr(0, room));
    args += "' ";
  }
  return "ERR unknown command '" + std::string(argv[0].substr(0, 128)) +
         "', with args beginning with: " + args;
}

// Commands a RESP2 client may send while subscribed.
bool allowed_while_subscribed(std::string_view name) {
  return name == "subscribe" || name == "unsubscribe" || name == "psubscribe" ||
         name == "punsubscribe" || name == "ssubscribe" || name == "sunsubscribe" ||
         name == "ping" || name == "quit" || name == "reset";
}

// Commands that run immediately even inside MULTI.
bool runs_inside_multi(std::string_view name) {
  return name == "exec" || name == "discard" || name == "multi" || name == "watch" ||
         name == "quit" || name == "reset";
}

}  // namespace

bool Server::process_command(Client& client, std::span<const std::string_view> argv) {
  resp::ReplyWriter& out = client.out();

  // Steps 1-5 decide whether the command may run at all; nothing is written yet, so that a
  // command that must wait (6a) can be looked at again later.
  std::string error;
  const commands::CommandSpec* error_spec = nullptr;  // whose rejected_calls count the error
  const commands::CommandSpec* spec = table_.find(argv[0]);
  const commands::CommandSpec* parent = nullptr;
  // 1. Lookup (a container command resolves its subcommand).
  if (spec == nullptr) {
    error = unknown_command_error(argv);
  } else if (!spec->subcommands.empty() && argv.size() >= 2) {
    const commands::CommandSpec* sub = commands::CommandTable::find_subcommand(*spec, argv[1]);
    if (sub == nullptr) {
      error = "ERR unknown subcommand '" + std::string(argv[1].substr(0, 128)) + "'. Try " +
              util::to_upper(spec->name) + " HELP.";
    }
    parent = spec;
    spec = sub;
  }
  const commands::CommandSpec* top = parent != nullptr ? parent : spec;
  if (error.empty()) {
    error_spec = spec;
    if (!spec->arity_ok(argv.size())) {
      // 2. Arity.
      error =
          "ERR wrong number of arguments for '" + commands::full_name(parent, *spec) + "' command";
    } else if (!client.authenticated && !spec->has(commands::kNoAuth)) {
      // 3. Authentication. AUTH, HELLO (which can authenticate) and QUIT/RESET pass.
      error = "NOAUTH Authentication required.";
    } else if (client.in_multi && spec->has(commands::kNoMulti)) {
      // 4. Commands that cannot run inside MULTI.
      error = "ERR Command not allowed inside a transaction";
    } else if (client.protocol() == 2 && client.subscription_count() > 0 &&
               !allowed_while_subscribed(top->name)) {
      // 5. RESP2 subscribed context.
      error = "ERR Can't execute '" + commands::full_name(parent, *spec) +
              "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in "
              "this context";
    }
  }

  // 6a. Replies leave in the order of the client's commands (design.md, "The dispatch gate").
  // Behind this client's writes in flight through Raft only more plain writes may go on (they
  // are proposed in order, and a plain read joins them through the log); behind its reads
  // waiting for a ReadIndex round only more plain reads. Anything else, an error of the gate
  // included, waits in the buffer until those are answered, then is looked at again.
  if (client.pending_writes > 0 && (!error.empty() || !Replication::pipelinable(*spec))) {
    return false;
  }
  if (client.pending_reads > 0 && (!error.empty() || !Replication::pipelinable_read(*spec))) {
    return false;
  }

  if (client.reply_mode == ReplyMode::kSkipNext) client.reply_mode = ReplyMode::kSkipThis;
  // Replies of CLIENT REPLY OFF/SKIP are produced and then dropped; (un)subscribe
  // confirmations are pub/sub messages, which Redis delivers even to a silenced client.
  size_t reply_start = client.out().size();
  bool pushes = false;
  auto finish = [&] {
    bool drop = client.reply_mode == ReplyMode::kOff || client.reply_mode == ReplyMode::kSkipThis;
    if (drop && !pushes) client.out().buffer()->resize(reply_start);
    if (client.reply_mode == ReplyMode::kSkipThis) client.reply_mode = ReplyMode::kOn;
    // A silenced publisher's own messages (pubsub_commands.cc), in order after its command.
    if (!client.silenced_pushes.empty()) {
      client.out().raw(client.silenced_pushes);
      client.silenced_pushes.clear();
    }
  };

  if (!error.empty()) {
    if (error_spec != nullptr) stats_.commands[error_spec].rejected_calls++;
    if (client.in_multi) client.multi_dirty = true;
    out.error(error);
    finish();
    return true;
  }

  // 6. CLIENT PAUSE: hold the request (not consumed) until the pause ends.
  if (pause_if_needed(client, *spec)) return false;

  // 7. MULTI queueing.
  if (client.in_multi && !runs_inside_multi(top->name)) {
    QueuedCommand queued;
    queued.argv.assign(argv.begin(), argv.end());
    queued.spec = spec;
    queued.parent = parent;
    client.multi_queue.push_back(std::move(queued));
    out.simple("QUEUED");
    finish();
    return true;
  }

  // 8. Execute.
  pushes = top->name != "ping" && top->name != "quit" && top->name != "reset" &&
           allowed_while_subscribed(top->name);
  client.last_command = commands::full_name(parent, *spec);
  // 8a. Replicated work goes through Raft (replication.h): the reply comes when it is applied.
  if (replication_) {
    switch (replication_->route(client, *spec, parent, argv, client.db)) {
      case Replication::Route::kLocal:
        break;
      case Replication::Route::kTaken:
        finish();
        return true;
      case Replication::Route::kHold:
        return false;
    }
  }
  commands::BlockRequest block;
  int db_before = client.db;
  execute(&client, *spec, parent, argv, out, client.db, false, &block);
  if (block.requested) blocking_->block(client, *spec, parent, argv, db_before, std::move(block));
  finish();
  // Clients blocked on keys this command (or the transaction it ran) filled get served now.
  blocking_->serve_ready_keys();
  return true;
}

void Server::serve_blocked_clients() {
  blocking_->serve_ready_keys();
}

void Server::execute(Client* client, const commands::CommandSpec& spec,
                     const commands::CommandSpec* parent, std::span<const std::string_view> argv,
                     resp::ReplyWriter& out, int& db_index, bool in_multi,
                     commands::BlockRequest* block, bool woken,
                     const commands::ExecContext* exec_given, std::string_view woken_key) {
  (void)parent;  // stats are keyed by the (sub)command's own spec
  commands::ExecContext exec = exec_given != nullptr ? *exec_given : make_exec_context();
  if (exec_given == nullptr && replication_) {
    // A Raft node running a command outside the log (a READONLY read on a follower, PING,
    // INFO ...) changes no data: only applying the log does, the same way on every replica.
    exec.may_delete_expired = false;
    exec.may_modify = false;
  }
  commands::CommandContext ctx{argv, out, keyspace_, db_index, exec, *this, this, client, in_multi};
  ctx.block = in_multi ? nullptr : block;
  ctx.woken = woken;
  ctx.woken_key = woken_key;
  uint64_t errors_before = stats_.total_error_replies;
  int64_t start_us = util::monotonic_us();
  spec.handler(ctx);
  int64_t duration_us = util::monotonic_us() - start_us;
  db_index = ctx.db_index;
  CommandStats& cs = stats_.commands[&spec];
  // A blocked command run again when woken is the same call (Redis counts it once).
  if (!woken) cs.calls++;
  cs.usec += static_cast<uint64_t>(duration_us);
  if (stats_.total_error_replies != errors_before) cs.failed_calls++;
  stats_.total_commands_processed++;
  after_command(client, spec, parent, argv, duration_us);
}

}  // namespace zakros::server
