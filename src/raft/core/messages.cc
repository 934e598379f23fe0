#include "raft/core/messages.h"

namespace zakros::raft {

const char* message_type_name(MessageType type) {
  switch (type) {
    case MessageType::kPreVote:
      return "PreVote";
    case MessageType::kPreVoteResponse:
      return "PreVoteResponse";
    case MessageType::kVote:
      return "Vote";
    case MessageType::kVoteResponse:
      return "VoteResponse";
    case MessageType::kAppend:
      return "Append";
    case MessageType::kAppendResponse:
      return "AppendResponse";
    case MessageType::kHeartbeat:
      return "Heartbeat";
    case MessageType::kHeartbeatResponse:
      return "HeartbeatResponse";
    case MessageType::kSnapshot:
      return "Snapshot";
    case MessageType::kTimeoutNow:
      return "TimeoutNow";
    case MessageType::kTransferLeader:
      return "TransferLeader";
  }
  return "?";
}

bool is_response(MessageType type) {
  return type == MessageType::kPreVoteResponse || type == MessageType::kVoteResponse ||
         type == MessageType::kAppendResponse || type == MessageType::kHeartbeatResponse;
}

}  // namespace zakros::raft
