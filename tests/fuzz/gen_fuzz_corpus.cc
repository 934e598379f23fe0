// Writes the seed corpora of the binary fuzz targets (tests/fuzz/corpus/{raft_codec,
// replicated_entry,peer_handshake}) by encoding real messages, entries and handshake lines with
// the production encoders, each file prefixed with its target's mode byte where it has one.
// The files are committed; run this again only when a format changes:
//   cmake --build build --target gen_fuzz_corpus && build/tests/fuzz/gen_fuzz_corpus
//   tests/fuzz/corpus
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "raft/transport/codec.h"
#include "raft/transport/peer_handshake.h"
#include "server/replication/replicated_entry.h"

namespace {

namespace raft = zakros::raft;
namespace hs = zakros::server::peer_handshake;
using zakros::server::ReplicatedEntry;

std::filesystem::path root;

void write(const std::string& dir, const std::string& name, const std::string& bytes) {
  std::filesystem::create_directories(root / dir);
  std::ofstream(root / dir / name, std::ios::binary) << bytes;
}

std::string with_mode(char mode, const std::string& bytes) {
  return std::string(1, mode) + bytes;
}

raft::Message message(raft::MessageType type, raft::NodeId from, raft::NodeId to, raft::Term term) {
  raft::Message m;
  m.type = type;
  m.from = from;
  m.to = to;
  m.term = term;
  return m;
}

std::string encoded(const raft::Message& m) {
  std::string out;
  raft::encode_message(m, &out);
  return out;
}

std::string frame(const raft::Message& m) {
  std::string body = encoded(m);
  std::string out(4, '\0');
  for (int i = 0; i < 4; ++i) out[i] = static_cast<char>(body.size() >> (8 * i));
  return out + body;
}

ReplicatedEntry set_command() {
  ReplicatedEntry e;
  e.kind = ReplicatedEntry::Kind::kCommand;
  e.now_ms = 1765000000000;
  e.seed = 0x9e3779b97f4a7c15ull;
  e.commands = {{"SET", "key", "value", "PX", "1500"}};
  return e;
}

raft::Entry log_entry(raft::Index index, raft::Term term, raft::EntryType type, std::string data) {
  raft::Entry e;
  e.index = index;
  e.term = term;
  e.type = type;
  e.data = raft::Bytes(data);
  return e;
}

void raft_codec() {
  raft::ConfState conf;
  conf.voters = {0, 1, 2};
  conf.learners = {3};
  const std::string set = set_command().encode();

  auto pre_vote = message(raft::MessageType::kPreVote, 1, 0, 3);
  pre_vote.index = 12;
  pre_vote.log_term = 2;
  write("raft_codec", "pre_vote", with_mode(0, encoded(pre_vote)));
  auto vote_reject = message(raft::MessageType::kVoteResponse, 0, 1, 3);
  vote_reject.reject = true;
  write("raft_codec", "vote_response_reject", with_mode(0, encoded(vote_reject)));
  auto append = message(raft::MessageType::kAppend, 0, 2, 3);
  append.index = 11;
  append.log_term = 2;
  append.commit = 10;
  append.entries = {log_entry(12, 3, raft::EntryType::kNormal, ""),
                    log_entry(13, 3, raft::EntryType::kNormal, set),
                    log_entry(14, 3, raft::EntryType::kConfChange, conf.encode())};
  write("raft_codec", "append", with_mode(0, encoded(append)));
  auto append_reject = message(raft::MessageType::kAppendResponse, 2, 0, 3);
  append_reject.reject = true;
  append_reject.index = 11;
  append_reject.reject_hint = 7;
  append_reject.log_term = 1;
  write("raft_codec", "append_response_reject", with_mode(0, encoded(append_reject)));
  auto heartbeat = message(raft::MessageType::kHeartbeat, 0, 1, 3);
  heartbeat.commit = 14;
  heartbeat.context = 5;
  write("raft_codec", "heartbeat", with_mode(0, encoded(heartbeat)));
  auto snapshot = message(raft::MessageType::kSnapshot, 0, 3, 4);
  auto snap = std::make_shared<raft::Snapshot>();
  snap->meta.index = 14;
  snap->meta.term = 3;
  snap->meta.conf = conf;
  snap->data = raft::Bytes(std::string("REDIS0010\xfa\x09redis-ver\x067.0.15\xff", 28));
  snapshot.snapshot = snap;
  write("raft_codec", "snapshot", with_mode(0, encoded(snapshot)));
  auto timeout_now = message(raft::MessageType::kTimeoutNow, 0, 2, 4);
  timeout_now.force = true;
  write("raft_codec", "timeout_now", with_mode(0, encoded(timeout_now)));
  write("raft_codec", "transfer_leader",
        with_mode(0, encoded(message(raft::MessageType::kTransferLeader, 2, 0, 4))));

  std::string entries;
  for (const auto& e : append.entries) raft::encode_entry(e, &entries);
  write("raft_codec", "entries", with_mode(1, entries));
  raft::HardState hard{4, 2, 14};
  write("raft_codec", "hard_state", with_mode(2, raft::encode_hard_state(hard)));
  write("raft_codec", "conf_state", with_mode(3, conf.encode()));
}

void replicated_entry() {
  write("replicated_entry", "set", set_command().encode());
  ReplicatedEntry tx;
  tx.kind = ReplicatedEntry::Kind::kTransaction;
  tx.db = 3;
  tx.protocol = 3;
  tx.now_ms = 1765000000123;
  tx.watch_index = 41;
  tx.watched = {{3, "balance"}, {0, "other"}};
  tx.commands = {{"DECRBY", "balance", "10"}, {"LPUSH", "log", "spent 10"}};
  write("replicated_entry", "transaction", tx.encode());
  ReplicatedEntry expire;
  expire.kind = ReplicatedEntry::Kind::kExpire;
  expire.now_ms = 1765000001000;
  expire.commands = {{"session:1"}, {"session:2"}};
  write("replicated_entry", "expire", expire.encode());
  ReplicatedEntry members;
  members.kind = ReplicatedEntry::Kind::kMembers;
  members.commands = {{"3", "127.0.0.1:7004"}};
  write("replicated_entry", "members", members.encode());
  ReplicatedEntry woken;
  woken.commands = {{"BLPOP", "queue", "other", "0"}};
  woken.woken_key = "queue";
  write("replicated_entry", "woken_blpop", woken.encode());
}

void peer_handshake() {
  const std::string nonce_d(hs::kNonceBytes, '\x11'), nonce_a(hs::kNonceBytes, '\x22');
  auto line = [](std::string s) { return s.substr(0, s.size() - 2); };  // without "\r\n"
  hs::Hello v1{hs::kPlainVersion, "c", 0, 1, "", ""};
  hs::Hello v1_address{hs::kPlainVersion, "649c07fdc3c9c444", 2, 1, "", "127.0.0.1:7003"};
  hs::Hello v2{hs::kAuthenticatedVersion, "c", 0, 1, nonce_d, "127.0.0.1:7001"};
  hs::Credentials creds{true, "", "secret"};
  const std::string proof_d = hs::compute_proof(hs::Role::kDialer, creds, v2, nonce_a);
  const std::string proof_a = hs::compute_proof(hs::Role::kAcceptor, creds, v2, nonce_a);
  write("peer_handshake", "hello_v1", with_mode(0, line(hs::format_hello(v1))));
  write("peer_handshake", "hello_v1_address", with_mode(0, line(hs::format_hello(v1_address))));
  write("peer_handshake", "hello_v2", with_mode(0, line(hs::format_hello(v2))));
  write("peer_handshake", "challenge",
        with_mode(1, line(hs::format_challenge({nonce_a, proof_a}))));
  write("peer_handshake", "proof", with_mode(2, line(hs::format_proof(proof_d))));

  auto heartbeat = message(raft::MessageType::kHeartbeat, 0, 1, 3);
  heartbeat.commit = 9;
  auto append = message(raft::MessageType::kAppend, 0, 1, 3);
  append.entries = {log_entry(10, 3, raft::EntryType::kNormal, set_command().encode())};
  // A whole connection (mode 3): without authentication, then with (bit 2).
  write("peer_handshake", "connection_v1",
        with_mode(3, hs::format_hello(v1) + frame(heartbeat) + frame(append)));
  write("peer_handshake", "connection_v2",
        with_mode(3 | 4, hs::format_hello(v2) + hs::format_proof(proof_d) + frame(heartbeat)));
  write("peer_handshake", "connection_v1_refused",
        with_mode(3 | 4, hs::format_hello(v1) + frame(heartbeat)));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <corpus-root>\n", argv[0]);
    return 2;
  }
  root = argv[1];
  raft_codec();
  replicated_entry();
  peer_handshake();
  return 0;
}
