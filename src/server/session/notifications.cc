// Keyspace notifications (Redis 7.0's notify.c): a change to a key is published on
//   __keyspace@<db>__:<key>    with the event name as message ('K' in notify-keyspace-events)
//   __keyevent@<db>__:<event>  with the key as message            ('E')
// when notify-keyspace-events enables the event's class.
//
// Called through Server::notify (commands::KeyspaceEvents) by every command that changes a key,
// after the change, and by expiry/eviction.
#include <string>

#include "server/admin/server_commands.h"
#include "server/config/config.h"
#include "server/server.h"
#include "server/session/pubsub.h"

namespace zakros::server {

namespace {

// The notify-keyspace-events class of a commands::KeyspaceEvents type letter; 0 if unknown.
int class_of(char type) {
  switch (type) {
    case 'g':
      return kNotifyGeneric;
    case '$':
      return kNotifyString;
    case 'l':
      return kNotifyList;
    case 's':
      return kNotifySet;
    case 'h':
      return kNotifyHash;
    case 'z':
      return kNotifyZset;
    case 'x':
      return kNotifyExpired;
    case 'e':
      return kNotifyEvicted;
    case 't':
      return kNotifyStream;
    case 'm':
      return kNotifyKeyMiss;
    case 'd':
      return kNotifyModule;
    case 'n':
      return kNotifyNew;
    default:
      return 0;
  }
}

}  // namespace

void notify_keyspace_event(Server& server, char type, std::string_view event, std::string_view key,
                           int db) {
  const int flags = server.config().notify_keyspace_events;
  // The common case (notifications off) costs one load and a branch.
  if ((flags & class_of(type)) == 0) return;

  PubSub& pubsub = server.pubsub();
  if (pubsub.channel_count() == 0 && pubsub.pattern_count() == 0) return;  // nobody listens
  std::string db_text = std::to_string(db);
  if (flags & kNotifyKeyspace) {
    std::string channel;
    channel.reserve(16 + db_text.size() + key.size());
    channel.append("__keyspace@").append(db_text).append("__:").append(key);
    pubsub.publish(channel, event);
  }
  if (flags & kNotifyKeyevent) {
    std::string channel;
    channel.reserve(16 + db_text.size() + event.size());
    channel.append("__keyevent@").append(db_text).append("__:").append(event);
    pubsub.publish(channel, key);
  }
}

}  // namespace zakros::server
