// Pub/Sub commands: SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, PUBLISH, PUBSUB,
// SSUBSCRIBE, SUNSUBSCRIBE, SPUBLISH (Redis 7.0's pubsub.c behaviour and texts).
//
// The RESP2 subscribed-context rule (only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT /
// RESET while subscribed) is enforced by the dispatch gate, not here.
#include <cctype>
#include <string>

#include "commands/command_util.h"
#include "server/net/client.h"
#include "server/server.h"
#include "server/session/pubsub.h"
#include "util/glob.h"

namespace zakros::server {

namespace {

using commands::CommandContext;
using namespace commands;  // flags and ACL categories

// Published messages a client sends to itself are push replies in Redis (CLIENT_PUSHING): they
// reach it even when CLIENT REPLY OFF/SKIP silences the command that produced them. The gate
// keeps everything (P|S)(UN)SUBSCRIBE writes, so confirmations go straight to ctx.out; PUBLISH's
// own reply is dropped, so a silenced publisher's own messages are collected in
// Client::silenced_pushes and delivered when the event loop comes back (or earlier by a gate
// that forwards silenced_pushes right after the command). Inside EXEC nothing is silenced.
class ConfirmationSink {
 public:
  explicit ConfirmationSink(CommandContext& ctx)
      : ctx_(ctx),
        silenced_(!ctx.in_multi && (ctx.client->reply_mode == ReplyMode::kOff ||
                                    ctx.client->reply_mode == ReplyMode::kSkipThis)),
        had_pending_(!ctx.client->silenced_pushes.empty()),
        side_(&ctx.client->silenced_pushes, ctx.out.protocol()),
        out_(silenced_ ? side_ : ctx.out) {}
  ~ConfirmationSink() {
    if (!silenced_ || had_pending_ || ctx_.client->silenced_pushes.empty()) return;
    asio::post(ctx_.server->io(), [client = ctx_.client->shared_from_this()] {
      if (client->silenced_pushes.empty()) return;
      client->out().raw(client->silenced_pushes);
      client->silenced_pushes.clear();
      client->flush_soon();
    });
  }
  ConfirmationSink(const ConfirmationSink&) = delete;
  ConfirmationSink& operator=(const ConfirmationSink&) = delete;
  resp::ReplyWriter& out() { return out_; }
  bool silenced() const { return silenced_; }

 private:
  CommandContext& ctx_;
  bool silenced_;
  bool had_pending_;
  resp::ReplyWriter side_;
  resp::ReplyWriter& out_;
};

// Commands that change subscriptions need a connection; a command applied from the Raft log
// has none (these commands are never replicated, so this is only a guard).
bool has_client(CommandContext& ctx, std::string_view name) {
  if (ctx.client != nullptr && ctx.server != nullptr) return true;
  ctx.out.error("ERR " + std::string(name) + " isn't allowed for a DENY BLOCKING client");
  return false;
}

void subscribe(CommandContext& ctx) {
  if (!has_client(ctx, "SUBSCRIBE")) return;
  PubSub& pubsub = ctx.server->pubsub();
  Client& client = *ctx.client;
  for (size_t i = 1; i < ctx.argc(); ++i) {
    std::string channel(ctx.arg(i));
    pubsub.subscribe(client, channel);
    write_subscription_reply(ctx.out, "subscribe", &channel, PubSub::client_count(client));
  }
}

void psubscribe(CommandContext& ctx) {
  if (!has_client(ctx, "PSUBSCRIBE")) return;
  PubSub& pubsub = ctx.server->pubsub();
  Client& client = *ctx.client;
  for (size_t i = 1; i < ctx.argc(); ++i) {
    std::string pattern(ctx.arg(i));
    pubsub.psubscribe(client, pattern);
    write_subscription_reply(ctx.out, "psubscribe", &pattern, PubSub::client_count(client));
  }
}

void ssubscribe(CommandContext& ctx) {
  // Unlike SUBSCRIBE, Redis 7.0 has no MULTI exception here: EXEC runs with the client's
  // deny-blocking flag set, so a queued SSUBSCRIBE fails.
  if (ctx.in_multi) {
    ctx.out.error("ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client");
    return;
  }
  if (!has_client(ctx, "SSUBSCRIBE")) return;
  PubSub& pubsub = ctx.server->pubsub();
  Client& client = *ctx.client;
  for (size_t i = 1; i < ctx.argc(); ++i) {
    std::string channel(ctx.arg(i));
    pubsub.ssubscribe(client, channel);
    write_subscription_reply(ctx.out, "ssubscribe", &channel, PubSub::client_shard_count(client));
  }
}

// The three UNSUBSCRIBE flavours differ only in the set they edit, the reply kind and the count
// they report.
enum class Kind { kChannel, kPattern, kShard };

void unsubscribe_generic(CommandContext& ctx, Kind kind) {
  if (ctx.client == nullptr || ctx.server == nullptr) {
    ctx.out.error("ERR Command not allowed in this context");
    return;
  }
  PubSub& pubsub = ctx.server->pubsub();
  Client& client = *ctx.client;
  std::string_view reply_kind = kind == Kind::kChannel   ? "unsubscribe"
                                : kind == Kind::kPattern ? "punsubscribe"
                                                         : "sunsubscribe";
  auto remove = [&](const std::string& name) {
    switch (kind) {
      case Kind::kChannel:
        return pubsub.unsubscribe(client, name);
      case Kind::kPattern:
        return pubsub.punsubscribe(client, name);
      case Kind::kShard:
        return pubsub.sunsubscribe(client, name);
    }
    return false;
  };
  auto count = [&] {
    return kind == Kind::kShard ? PubSub::client_shard_count(client) : PubSub::client_count(client);
  };

  if (ctx.argc() > 1) {
    for (size_t i = 1; i < ctx.argc(); ++i) {
      std::string name(ctx.arg(i));
      remove(name);
      write_subscription_reply(ctx.out, reply_kind, &name, count());
    }
    return;
  }
  // No arguments: leave everything of this kind, one confirmation per subscription, or a single
  // confirmation with a null name when there was nothing to leave.
  const std::unordered_set<std::string>& current = kind == Kind::kChannel   ? client.channels
                                                   : kind == Kind::kPattern ? client.patterns
                                                                            : client.shard_channels;
  std::vector<std::string> names(current.begin(), current.end());
  for (const std::string& name : names) {
    remove(name);
    write_subscription_reply(ctx.out, reply_kind, &name, count());
  }
  if (names.empty()) write_subscription_reply(ctx.out, reply_kind, nullptr, count());
}

void unsubscribe(CommandContext& ctx) {
  unsubscribe_generic(ctx, Kind::kChannel);
}
void punsubscribe(CommandContext& ctx) {
  unsubscribe_generic(ctx, Kind::kPattern);
}
void sunsubscribe(CommandContext& ctx) {
  unsubscribe_generic(ctx, Kind::kShard);
}

// PUBLISH and SPUBLISH. A publisher that is itself subscribed (RESP3) under CLIENT REPLY
// OFF/SKIP still gets its own message, as a push, through the same path as confirmations.
void publish_generic(CommandContext& ctx, bool shard) {
  if (ctx.server == nullptr) {
    ctx.out.integer(0);
    return;
  }
  PubSub& pubsub = ctx.server->pubsub();
  size_t receivers = 0;
  if (ctx.client == nullptr) {
    receivers =
        shard ? pubsub.spublish(ctx.arg(1), ctx.arg(2)) : pubsub.publish(ctx.arg(1), ctx.arg(2));
  } else {
    ConfirmationSink sink(ctx);
    Client* silenced = sink.silenced() ? ctx.client : nullptr;
    receivers = shard ? pubsub.spublish(ctx.arg(1), ctx.arg(2), silenced)
                      : pubsub.publish(ctx.arg(1), ctx.arg(2), silenced);
  }
  ctx.out.integer(static_cast<long long>(receivers));
}

void publish(CommandContext& ctx) {
  publish_generic(ctx, false);
}
void spublish(CommandContext& ctx) {
  publish_generic(ctx, true);
}

// ---- PUBSUB ----

void subcommand_syntax_error(CommandContext& ctx) {
  std::string command(ctx.arg(0));
  for (char& c : command) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  ctx.out.error("ERR unknown subcommand or wrong number of arguments for '" +
                std::string(ctx.arg(1).substr(0, 128)) + "'. Try " + command + " HELP.");
}

void channel_list(CommandContext& ctx, const PubSub::Registry& registry) {
  if (ctx.argc() > 3) {
    subcommand_syntax_error(ctx);
    return;
  }
  size_t token = ctx.out.begin_deferred();
  size_t count = 0;
  for (const auto& [channel, clients] : registry) {
    if (ctx.argc() == 3 && !util::glob_match(ctx.arg(2), channel)) continue;
    ctx.out.bulk(channel);
    ++count;
  }
  ctx.out.end_deferred_array(token, count);
}

void pubsub_channels(CommandContext& ctx) {
  channel_list(ctx, ctx.server->pubsub().channels());
}

void pubsub_shardchannels(CommandContext& ctx) {
  channel_list(ctx, ctx.server->pubsub().shard_channels());
}

void pubsub_numsub(CommandContext& ctx) {
  PubSub& pubsub = ctx.server->pubsub();
  ctx.out.array((ctx.argc() - 2) * 2);
  for (size_t i = 2; i < ctx.argc(); ++i) {
    ctx.out.bulk(ctx.arg(i));
    ctx.out.integer(static_cast<long long>(pubsub.subscribers(ctx.arg(i))));
  }
}

void pubsub_shardnumsub(CommandContext& ctx) {
  PubSub& pubsub = ctx.server->pubsub();
  ctx.out.array((ctx.argc() - 2) * 2);
  for (size_t i = 2; i < ctx.argc(); ++i) {
    ctx.out.bulk(ctx.arg(i));
    ctx.out.integer(static_cast<long long>(pubsub.shard_subscribers(ctx.arg(i))));
  }
}

void pubsub_numpat(CommandContext& ctx) {
  ctx.out.integer(static_cast<long long>(ctx.server->pubsub().pattern_count()));
}

void pubsub_help(CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "CHANNELS [<pattern>]",
      "    Return the currently active channels matching a <pattern> (default: '*').",
      "NUMPAT",
      "    Return number of subscriptions to patterns.",
      "NUMSUB [<channel> ...]",
      "    Return the number of subscribers for the specified channels, excluding",
      "    pattern subscriptions(default: no channels).",
      "SHARDCHANNELS [<pattern>]",
      "    Return the currently active shard level channels matching a <pattern> (default: "
      "'*').",
      "SHARDNUMSUB [<shardchannel> ...]",
      "    Return the number of subscribers for the specified shard level channel(s)",
      "HELP",
      "    Prints this help.",
  };
  std::string command(ctx.arg(0));
  for (char& c : command) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  ctx.out.array(1 + std::size(kLines));
  ctx.out.simple(command + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
  for (std::string_view line : kLines) ctx.out.simple(line);
}

// Never reached: the gate resolves a subcommand or rejects the arity first.
void pubsub_container(CommandContext& ctx) {
  if (ctx.argc() >= 2) {
    subcommand_syntax_error(ctx);
  } else {
    ctx.out.error("ERR wrong number of arguments for 'pubsub' command");
  }
}

// This group's commands take no keys (shard channels get theirs from with_keys).
CommandSpec make_spec(std::string_view name, int arity, uint64_t flags, uint64_t acl,
                      Handler handler, std::string_view summary, std::string_view since) {
  return commands::make_spec(name, arity, flags, acl, 0, 0, 0, CommandGroup::kPubsub, handler,
                             summary, since);
}

// Shard channels are declared as keys (Redis gives them not_key key specs) so that cluster
// clients route them by hash slot.
CommandSpec with_keys(CommandSpec spec, int first, int last) {
  spec.first_key = first;
  spec.last_key = last;
  spec.key_step = 1;
  return spec;
}

}  // namespace

void register_pubsub_commands(commands::CommandTable& table) {
  const uint64_t sub_flags = kPubsub | kNoscript | kLoading | kStale;
  const uint64_t pub_flags = kPubsub | kLoading | kStale | kFast;
  const uint64_t slow = kAclPubsub | kAclSlow;
  const uint64_t fast = kAclPubsub | kAclFast;

  table.add(make_spec("subscribe", -2, sub_flags, slow, subscribe,
                      "Listen for messages published to the given channels", "2.0.0"));
  table.add(make_spec("unsubscribe", -1, sub_flags, slow, unsubscribe,
                      "Stop listening for messages posted to the given channels", "2.0.0"));
  table.add(make_spec("psubscribe", -2, sub_flags, slow, psubscribe,
                      "Listen for messages published to channels matching the given patterns",
                      "2.0.0"));
  table.add(make_spec("punsubscribe", -1, sub_flags, slow, punsubscribe,
                      "Stop listening for messages posted to channels matching the given "
                      "patterns",
                      "2.0.0"));
  table.add(
      make_spec("publish", 3, pub_flags, fast, publish, "Post a message to a channel", "2.0.0"));
  table.add(
      with_keys(make_spec("ssubscribe", -2, sub_flags, slow, ssubscribe,
                          "Listen for messages published to the given shard channels", "7.0.0"),
                1, -1));
  table.add(with_keys(
      make_spec("sunsubscribe", -1, sub_flags, slow, sunsubscribe,
                "Stop listening for messages posted to the given shard channels", "7.0.0"),
      1, -1));
  table.add(with_keys(make_spec("spublish", 3, pub_flags, fast, spublish,
                                "Post a message to a shard channel", "7.0.0"),
                      1, 1));

  const uint64_t intro_flags = kPubsub | kLoading | kStale;
  CommandSpec pubsub = make_spec("pubsub", -2, 0, kAclSlow, pubsub_container,
                                 "A container for Pub/Sub commands", "2.8.0");
  pubsub.subcommands.push_back(make_spec("channels", -2, intro_flags, slow, pubsub_channels,
                                         "List active channels", "2.8.0"));
  pubsub.subcommands.push_back(make_spec("help", 2, kLoading | kStale, kAclSlow, pubsub_help,
                                         "Show helpful text about the different subcommands",
                                         "6.2.0"));
  pubsub.subcommands.push_back(make_spec("numpat", 2, intro_flags, slow, pubsub_numpat,
                                         "Get the count of unique patterns pattern subscriptions",
                                         "2.8.0"));
  pubsub.subcommands.push_back(make_spec("numsub", -2, intro_flags, slow, pubsub_numsub,
                                         "Get the count of subscribers for channels", "2.8.0"));
  pubsub.subcommands.push_back(make_spec("shardchannels", -2, intro_flags, slow,
                                         pubsub_shardchannels, "List active shard channels",
                                         "7.0.0"));
  pubsub.subcommands.push_back(make_spec("shardnumsub", -2, intro_flags, slow, pubsub_shardnumsub,
                                         "Get the count of subscribers for shard channels",
                                         "7.0.0"));
  table.add(std::move(pubsub));
}

}  // namespace zakros::server
