// PubSub: the registry of channel, pattern and shard-channel subscriptions (SUBSCRIBE,
// PSUBSCRIBE, SSUBSCRIBE) and the delivery of published messages, in RESP2 (arrays) or RESP3
// (push messages), exactly as Redis 7.0's pubsub.c.
//
// Who calls it: the command handlers of pubsub_commands.cc (registered by
// register_pubsub_commands), keyspace notifications (notifications.cc: publish), the server when
// a client goes away or sends RESET (unsubscribe_all), INFO and CLIENT LIST (the counts).
//
// Bookkeeping is two-sided, as in Redis: the server-side maps below (channel -> subscribers) and
// the client's own sets (Client::channels, patterns, shard_channels). The methods here keep both
// in step; nothing else may modify either side. Clients are referenced by raw pointer: the
// server calls unsubscribe_all() before a Client dies, so no pointer here ever dangles.
//
// Subscription counts reported to clients follow Redis: SUBSCRIBE/PSUBSCRIBE and their
// UNSUBSCRIBEs report channels + patterns; SSUBSCRIBE/SUNSUBSCRIBE report shard channels only.
//
// Delivery appends the message to each receiver's output buffer (Client::out) and schedules a
// write (Client::flush_soon). Before that, the receiver's client-output-buffer-limit (the pubsub
// class, since it is subscribed) is checked, so a subscriber that does not read is disconnected
// and the server's memory stays bounded. Delivery is split in two passes (append to everyone,
// then check limits and flush) because a disconnection removes the client from the very maps
// being iterated.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "commands/command_table.h"

namespace zakros::resp {
class ReplyWriter;
}

namespace zakros::server {

class Client;

class PubSub {
 public:
  using Registry = std::unordered_map<std::string, std::unordered_set<Client*>>;

  // Delivers `message` to the subscribers of `channel` ("message") and of every pattern that
  // matches it ("pmessage", once per matching pattern); returns the number of deliveries
  // (PUBLISH's reply: a client subscribed to the channel and to two matching patterns counts 3).
  // `silenced` is the publisher when CLIENT REPLY OFF/SKIP drops its current replies: its own
  // messages are pushes Redis delivers anyway, so they go to its Client::silenced_pushes.
  size_t publish(std::string_view channel, std::string_view message, Client* silenced = nullptr);
  // Shard channels (SPUBLISH): exact shard-channel subscribers only ("smessage"), no patterns.
  size_t spublish(std::string_view channel, std::string_view message, Client* silenced = nullptr);

  // Registry updates. Each returns true when the subscription set changed (false: already
  // subscribed / not subscribed). They do not reply; the handlers do.
  bool subscribe(Client& client, const std::string& channel);
  bool unsubscribe(Client& client, const std::string& channel);
  bool psubscribe(Client& client, const std::string& pattern);
  bool punsubscribe(Client& client, const std::string& pattern);
  bool ssubscribe(Client& client, const std::string& channel);
  bool sunsubscribe(Client& client, const std::string& channel);
  // Drops every subscription of `client` without replying (disconnect, RESET).
  void unsubscribe_all(Client& client);

  // Introspection: PUBSUB CHANNELS / NUMSUB / NUMPAT / SHARDCHANNELS / SHARDNUMSUB, INFO
  // (pubsub_channels, pubsub_patterns, pubsubshard_channels).
  size_t channel_count() const { return channels_.size(); }
  size_t pattern_count() const { return patterns_.size(); }
  size_t shard_channel_count() const { return shard_channels_.size(); }
  const Registry& channels() const { return channels_; }
  const Registry& patterns() const { return patterns_; }
  const Registry& shard_channels() const { return shard_channels_; }
  // Subscribers of one channel (NUMSUB), 0 if none.
  size_t subscribers(std::string_view channel) const;
  size_t shard_subscribers(std::string_view channel) const;

  // The counts Redis reports in subscription confirmations (see the header comment).
  static size_t client_count(const Client& client);        // channels + patterns
  static size_t client_shard_count(const Client& client);  // shard channels

 private:
  // Second delivery pass: checks the output limit of every client that got a message (each
  // once, even if it got several) and schedules its write.
  void flush_receivers();

  Registry channels_;
  Registry patterns_;
  Registry shard_channels_;
  // Scratch space reused by publish (no allocation per message once warmed up).
  std::vector<Client*> receivers_;
};

// Writes one subscription confirmation: [kind, name, count] as a RESP2 array or RESP3 push;
// `name` null means "no channel" (UNSUBSCRIBE with nothing subscribed answers a null name).
void write_subscription_reply(resp::ReplyWriter& out, std::string_view kind,
                              const std::string* name, size_t count);

// SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, PUBLISH, PUBSUB (CHANNELS, NUMSUB, NUMPAT,
// SHARDCHANNELS, SHARDNUMSUB, HELP), SSUBSCRIBE, SUNSUBSCRIBE, SPUBLISH, with Redis 7.0's arity,
// flags, key positions and ACL categories (pubsub_commands.cc).
void register_pubsub_commands(commands::CommandTable& table);

}  // namespace zakros::server
