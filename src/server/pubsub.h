// PubSub: channel and pattern subscriptions (SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE) and delivery of
// published messages, in RESP2 (arrays, subscribed-mode rules) or RESP3 (push messages).
//
// Owned by the Server; its command handlers are registered by register_pubsub_commands().
// Clients are referenced by raw pointer and removed with unsubscribe_all() before they die.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "commands/command_table.h"

namespace zakros::server {

class Client;

class PubSub {
 public:
  // Delivers `message` to subscribers of `channel` and of matching patterns; returns how many
  // clients received it (PUBLISH's reply).
  size_t publish(std::string_view channel, std::string_view message);
  // Shard channels (SPUBLISH): only exact-channel subscribers of the shard namespace.
  size_t spublish(std::string_view channel, std::string_view message);
  // Drops every subscription of `client` without replying (disconnect, RESET).
  void unsubscribe_all(Client& client);

  // Used by the command handlers (pubsub_commands.cc).
  bool subscribe(Client& client, const std::string& channel);
  bool unsubscribe(Client& client, const std::string& channel);
  bool psubscribe(Client& client, const std::string& pattern);
  bool punsubscribe(Client& client, const std::string& pattern);
  bool ssubscribe(Client& client, const std::string& channel);
  bool sunsubscribe(Client& client, const std::string& channel);

  size_t pattern_count() const { return patterns_.size(); }
  size_t channel_count() const { return channels_.size(); }
  const std::unordered_map<std::string, std::unordered_set<Client*>>& channels() const {
    return channels_;
  }
  const std::unordered_map<std::string, std::unordered_set<Client*>>& shard_channels() const {
    return shard_channels_;
  }

 private:
  std::unordered_map<std::string, std::unordered_set<Client*>> channels_;
  std::unordered_map<std::string, std::unordered_set<Client*>> patterns_;
  std::unordered_map<std::string, std::unordered_set<Client*>> shard_channels_;
};

// SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, PUBLISH, PUBSUB, SSUBSCRIBE, SUNSUBSCRIBE,
// SPUBLISH.
void register_pubsub_commands(commands::CommandTable& table);

}  // namespace zakros::server
