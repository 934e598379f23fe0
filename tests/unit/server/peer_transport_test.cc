// PeerTransport over loopback: a large snapshot travels whole in one frame (its payload sent
// from the shared buffer, its head patched with the real length), messages after it arrive
// after it, and the sender learns when the snapshot has been written out.
#include "raft/transport/peer_transport.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace zakros::server {
namespace {

TEST(PeerTransport, CarriesALargeSnapshotWholeAndInOrder) {
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  const int port = acceptor.local_endpoint().port();
  std::vector<raft::Message> got;
  PeerTransport receiver(
      io, 1, "cluster", [&](raft::Message&& m) { got.push_back(std::move(m)); }, nullptr);
  PeerTransport sender(
      io, 0, "cluster", [](raft::Message&&) {}, nullptr);
  std::vector<std::pair<raft::NodeId, bool>> reports;
  sender.set_on_snapshot_sent([&](raft::NodeId peer, bool ok) { reports.emplace_back(peer, ok); });
  acceptor.async_accept([&](const asio::error_code& ec, asio::ip::tcp::socket socket) {
    ASSERT_FALSE(ec) << ec.message();
    receiver.adopt_inbound(std::move(socket), "");
  });
  sender.set_peers({{1, PeerAddress{"127.0.0.1", port}}});

  // 24 MB, more than any socket buffer: the write completes in many steps.
  std::string payload(24u << 20, '\0');
  for (size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<char>((i * 131) >> 7);
  auto snapshot = std::make_shared<raft::Snapshot>();
  snapshot->meta.index = 77;
  snapshot->meta.term = 3;
  snapshot->meta.conf.voters = {0, 1, 2};
  snapshot->data = raft::Bytes(payload);
  raft::Message m;
  m.type = raft::MessageType::kSnapshot;
  m.from = 0;
  m.to = 1;
  m.term = 3;
  m.snapshot = snapshot;
  sender.send(m);
  raft::Message after;
  after.type = raft::MessageType::kHeartbeat;
  after.from = 0;
  after.to = 1;
  after.term = 3;
  after.commit = 77;
  sender.send(after);

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (got.size() < 2 && std::chrono::steady_clock::now() < deadline) {
    io.run_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(got.size(), 2u);
  ASSERT_EQ(got[0].type, raft::MessageType::kSnapshot);
  ASSERT_TRUE(got[0].snapshot);
  EXPECT_EQ(got[0].snapshot->meta.index, 77u);
  EXPECT_EQ(got[0].snapshot->meta.term, 3u);
  EXPECT_EQ(got[0].snapshot->meta.conf.voters, (std::vector<raft::NodeId>{0, 1, 2}));
  EXPECT_TRUE(got[0].snapshot->data.view() == payload);
  EXPECT_EQ(got[1].type, raft::MessageType::kHeartbeat);
  EXPECT_EQ(got[1].commit, 77u);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0], (std::pair<raft::NodeId, bool>{1, true}));
}

TEST(PeerTransport, ASnapshotForAnUnknownPeerIsReportedLost) {
  asio::io_context io;
  PeerTransport sender(
      io, 0, "cluster", [](raft::Message&&) {}, nullptr);
  std::vector<std::pair<raft::NodeId, bool>> reports;
  sender.set_on_snapshot_sent([&](raft::NodeId peer, bool ok) { reports.emplace_back(peer, ok); });
  raft::Message m;
  m.type = raft::MessageType::kSnapshot;
  m.from = 0;
  m.to = 5;
  m.snapshot = std::make_shared<raft::Snapshot>();
  sender.send(m);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0], (std::pair<raft::NodeId, bool>{5, false}));
}

}  // namespace
}  // namespace zakros::server
