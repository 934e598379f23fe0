#include "raft/core/types.h"

#include <algorithm>
#include <cstring>

namespace zakros::raft {

namespace {

void put_u32(std::string* out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
void put_u64(std::string* out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
bool get_u64(std::string_view* in, std::uint64_t* v) {
  if (in->size() < 8) return false;
  *v = 0;
  for (int i = 0; i < 8; ++i) *v |= std::uint64_t(static_cast<unsigned char>((*in)[i])) << (8 * i);
  in->remove_prefix(8);
  return true;
}
bool get_u32(std::string_view* in, std::uint32_t* v) {
  if (in->size() < 4) return false;
  *v = 0;
  for (int i = 0; i < 4; ++i) *v |= std::uint32_t(static_cast<unsigned char>((*in)[i])) << (8 * i);
  in->remove_prefix(4);
  return true;
}
bool get_ids(std::string_view* in, std::vector<NodeId>* ids) {
  std::uint32_t n = 0;
  if (!get_u32(in, &n) || in->size() / 8 < n) return false;
  ids->resize(n);
  for (auto& id : *ids) get_u64(in, &id);
  return true;
}

}  // namespace

bool ConfState::is_voter(NodeId id) const {
  return std::find(voters.begin(), voters.end(), id) != voters.end();
}

bool ConfState::is_learner(NodeId id) const {
  return std::find(learners.begin(), learners.end(), id) != learners.end();
}

void ConfState::normalize() {
  for (auto* v : {&voters, &learners}) {
    std::sort(v->begin(), v->end());
    v->erase(std::unique(v->begin(), v->end()), v->end());
  }
  // A voter is never also a learner.
  std::erase_if(learners, [&](NodeId id) { return is_voter(id); });
}

std::string ConfState::encode() const {
  std::string out;
  out.reserve(8 + 8 * (voters.size() + learners.size()));
  put_u32(&out, static_cast<std::uint32_t>(voters.size()));
  for (NodeId id : voters) put_u64(&out, id);
  put_u32(&out, static_cast<std::uint32_t>(learners.size()));
  for (NodeId id : learners) put_u64(&out, id);
  return out;
}

std::optional<ConfState> ConfState::decode(std::string_view bytes) {
  ConfState cs;
  if (!get_ids(&bytes, &cs.voters) || !get_ids(&bytes, &cs.learners) || !bytes.empty()) {
    return std::nullopt;
  }
  return cs;
}

const char* role_name(Role role) {
  switch (role) {
    case Role::kFollower:
      return "follower";
    case Role::kPreCandidate:
      return "pre-candidate";
    case Role::kCandidate:
      return "candidate";
    case Role::kLeader:
      return "leader";
  }
  return "?";
}

const char* status_name(Status status) {
  switch (status) {
    case Status::kOk:
      return "ok";
    case Status::kNotLeader:
      return "not leader";
    case Status::kTransferring:
      return "leadership transfer in progress";
    case Status::kChangeInProgress:
      return "configuration change in progress";
    case Status::kNotCommittedInTerm:
      return "leader has not committed an entry of its term";
    case Status::kInvalid:
      return "invalid request";
  }
  return "?";
}

}  // namespace zakros::raft
