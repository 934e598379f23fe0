#include "server/session/pubsub.h"

#include <algorithm>

#include "resp/reply_writer.h"
#include "server/net/client.h"
#include "util/glob.h"

namespace zakros::server {

namespace {

// Adds `client` to registry[name]. The client-side set has already told us it is new.
void link(PubSub::Registry& registry, const std::string& name, Client& client) {
  registry[name].insert(&client);
}

// Removes `client` from registry[name], dropping the entry once nobody is left (so that
// subscribing to millions of channels and leaving them does not leak, as Redis does).
void unlink(PubSub::Registry& registry, const std::string& name, Client& client) {
  auto it = registry.find(name);
  if (it == registry.end()) return;
  it->second.erase(&client);
  if (it->second.empty()) registry.erase(it);
}

// Appends a message for `client`, into its silenced_pushes when it is the silenced publisher.
template <class Fn>
void write_to(Client* client, Client* silenced, Fn&& write) {
  if (client != silenced) {
    write(client->out());
    return;
  }
  resp::ReplyWriter side(&client->silenced_pushes, client->protocol());
  write(side);
}

void write_message(resp::ReplyWriter& out, std::string_view kind, std::string_view channel,
                   std::string_view message) {
  out.push(3);
  out.bulk(kind);
  out.bulk(channel);
  out.bulk(message);
}

}  // namespace

void write_subscription_reply(resp::ReplyWriter& out, std::string_view kind,
                              const std::string* name, size_t count) {
  out.push(3);
  out.bulk(kind);
  if (name != nullptr) {
    out.bulk(*name);
  } else {
    out.null();
  }
  out.integer(static_cast<long long>(count));
}

size_t PubSub::client_count(const Client& client) {
  return client.channels.size() + client.patterns.size();
}

size_t PubSub::client_shard_count(const Client& client) {
  return client.shard_channels.size();
}

bool PubSub::subscribe(Client& client, const std::string& channel) {
  if (!client.channels.insert(channel).second) return false;
  link(channels_, channel, client);
  return true;
}

bool PubSub::unsubscribe(Client& client, const std::string& channel) {
  if (client.channels.erase(channel) == 0) return false;
  unlink(channels_, channel, client);
  return true;
}

bool PubSub::psubscribe(Client& client, const std::string& pattern) {
  if (!client.patterns.insert(pattern).second) return false;
  link(patterns_, pattern, client);
  return true;
}

bool PubSub::punsubscribe(Client& client, const std::string& pattern) {
  if (client.patterns.erase(pattern) == 0) return false;
  unlink(patterns_, pattern, client);
  return true;
}

bool PubSub::ssubscribe(Client& client, const std::string& channel) {
  if (!client.shard_channels.insert(channel).second) return false;
  link(shard_channels_, channel, client);
  return true;
}

bool PubSub::sunsubscribe(Client& client, const std::string& channel) {
  if (client.shard_channels.erase(channel) == 0) return false;
  unlink(shard_channels_, channel, client);
  return true;
}

void PubSub::unsubscribe_all(Client& client) {
  for (const std::string& channel : client.channels) unlink(channels_, channel, client);
  for (const std::string& pattern : client.patterns) unlink(patterns_, pattern, client);
  for (const std::string& channel : client.shard_channels) {
    unlink(shard_channels_, channel, client);
  }
  client.channels.clear();
  client.patterns.clear();
  client.shard_channels.clear();
  // A client disconnected by the output limit while a publish is between its two passes must
  // not be flushed afterwards: it may be gone by then.
  std::erase(receivers_, &client);
}

size_t PubSub::subscribers(std::string_view channel) const {
  auto it = channels_.find(std::string(channel));
  return it == channels_.end() ? 0 : it->second.size();
}

size_t PubSub::shard_subscribers(std::string_view channel) const {
  auto it = shard_channels_.find(std::string(channel));
  return it == shard_channels_.end() ? 0 : it->second.size();
}

size_t PubSub::publish(std::string_view channel, std::string_view message, Client* silenced) {
  receivers_.clear();
  if (!channels_.empty()) {
    auto it = channels_.find(std::string(channel));
    if (it != channels_.end()) {
      for (Client* client : it->second) {
        write_to(client, silenced,
                 [&](resp::ReplyWriter& out) { write_message(out, "message", channel, message); });
        receivers_.push_back(client);
      }
    }
  }
  for (const auto& [pattern, clients] : patterns_) {
    if (!util::glob_match(pattern, channel)) continue;
    for (Client* client : clients) {
      write_to(client, silenced, [&](resp::ReplyWriter& out) {
        out.push(4);
        out.bulk("pmessage");
        out.bulk(pattern);
        out.bulk(channel);
        out.bulk(message);
      });
      receivers_.push_back(client);
    }
  }
  size_t count = receivers_.size();
  flush_receivers();
  return count;
}

size_t PubSub::spublish(std::string_view channel, std::string_view message, Client* silenced) {
  receivers_.clear();
  auto it = shard_channels_.find(std::string(channel));
  if (it != shard_channels_.end()) {
    for (Client* client : it->second) {
      write_to(client, silenced,
               [&](resp::ReplyWriter& out) { write_message(out, "smessage", channel, message); });
      receivers_.push_back(client);
    }
  }
  size_t count = receivers_.size();
  flush_receivers();
  return count;
}

void PubSub::flush_receivers() {
  if (receivers_.empty()) return;
  std::sort(receivers_.begin(), receivers_.end());
  receivers_.erase(std::unique(receivers_.begin(), receivers_.end()), receivers_.end());
  // A disconnection below calls unsubscribe_all(), which erases that client from receivers_;
  // advance only when the element at `i` is still the client just handled.
  size_t i = 0;
  while (i < receivers_.size()) {
    Client* client = receivers_[i];
    if (client->enforce_output_limits()) client->flush_soon();
    if (i < receivers_.size() && receivers_[i] == client) ++i;
  }
  receivers_.clear();
}

}  // namespace zakros::server
