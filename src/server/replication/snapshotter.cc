#include "server/replication/snapshotter.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "store/keyspace.h"
#include "util/clock.h"

namespace zakros::server {

namespace {

// Exit codes of the child (anything else, or a signal, is reported as such).
constexpr int kChildOk = 0;
constexpr int kChildOpenFailed = 2;
constexpr int kChildWriteFailed = 3;
constexpr int kChildSyncFailed = 4;
constexpr int kChildOrphaned = 5;

// The child's sink: write(2), and fdatasync every kSyncEvery bytes so that the kernel never
// holds a snapshot's worth of dirty pages whose flush would stall the parent's log fsyncs
// (Redis's rdb-save-incremental-fsync, for the same reason).
class IncrementalSyncSink : public store::rdb::RdbSink {
 public:
  static constexpr size_t kSyncEvery = 4u << 20;
  explicit IncrementalSyncSink(int fd) : fd_(fd), sink_(fd) {}
  bool write(const char* data, size_t len) override {
    if (!sink_.write(data, len)) return false;
    unsynced_ += len;
    if (unsynced_ >= kSyncEvery) {
      unsynced_ = 0;
      if (::fdatasync(fd_) != 0) return false;
    }
    return true;
  }

 private:
  int fd_;
  store::rdb::FdSink sink_;
  size_t unsynced_ = 0;
};

// The child's whole life: plain system calls and the RDB writer, then _exit. No logging.
[[noreturn]] void child_main(const store::Keyspace& keyspace, const std::string& path,
                             const store::rdb::AuxFields& aux, pid_t parent) {
  // Die with the server: an orphan would keep its sockets (the port) and write a file nobody
  // installs. The check after prctl covers a parent that died before it.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(kChildOrphaned);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) ::_exit(kChildOpenFailed);
  IncrementalSyncSink sink(fd);
  store::rdb::RdbWriter writer(sink);
  if (!store::rdb::write_rdb(keyspace, aux, writer)) ::_exit(kChildWriteFailed);
  if (::fsync(fd) != 0 || ::close(fd) != 0) ::_exit(kChildSyncFailed);
  ::_exit(kChildOk);
}

std::string describe_exit(int status) {
  if (WIFSIGNALED(status)) {
    return "the snapshot child was killed by signal " + std::to_string(WTERMSIG(status));
  }
  switch (WEXITSTATUS(status)) {
    case kChildOpenFailed:
      return "the snapshot child could not create the file";
    case kChildWriteFailed:
      return "the snapshot child could not write the file (disk full?)";
    case kChildSyncFailed:
      return "the snapshot child could not fsync the file";
    default:
      return "the snapshot child exited with code " + std::to_string(WEXITSTATUS(status));
  }
}

}  // namespace

Snapshotter::Snapshotter(asio::io_context& io, const store::Keyspace& keyspace)
    : io_(io), keyspace_(keyspace), timer_(io) {}

Snapshotter::~Snapshotter() {
  if (child_ > 0) {
    ::kill(child_, SIGKILL);
    int status = 0;
    ::waitpid(child_, &status, 0);
    ::unlink(path_.c_str());
  }
}

bool Snapshotter::start_background(const std::string& path, store::rdb::AuxFields aux, Done done,
                                   std::string* error) {
  if (child_ > 0) {
    *error = "Background save already in progress";
    return false;
  }
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    *error = std::string("Can't save in background: fork: ") + std::strerror(errno);
    last_bg_ok_ = false;
    return false;
  }
  if (pid == 0) child_main(keyspace_, path, aux, parent);
  child_ = pid;
  path_ = path;
  done_ = std::move(done);
  started_ms_ = util::wall_ms();
  timer_.expires_after(std::chrono::milliseconds(kPollMs));
  timer_.async_wait([this](const asio::error_code& ec) {
    if (!ec) poll();
  });
  return true;
}

void Snapshotter::poll() {
  int status = 0;
  const pid_t r = ::waitpid(child_, &status, WNOHANG);
  if (r == 0 || (r < 0 && errno == EINTR)) {
    timer_.expires_after(std::chrono::milliseconds(kPollMs));
    timer_.async_wait([this](const asio::error_code& ec) {
      if (!ec) poll();
    });
    return;
  }
  if (r < 0) {
    finish(false, std::string("waitpid: ") + std::strerror(errno));
    return;
  }
  const bool ok = WIFEXITED(status) && WEXITSTATUS(status) == kChildOk;
  finish(ok, ok ? std::string() : describe_exit(status));
}

void Snapshotter::finish(bool ok, const std::string& error) {
  child_ = -1;
  last_bg_ms_ = util::wall_ms() - started_ms_;
  last_bg_ok_ = ok;
  if (ok) {
    ++saves_;
    last_ok_sec_ = util::wall_ms() / 1000;
  } else {
    ::unlink(path_.c_str());
  }
  Done done = std::move(done_);
  done_ = nullptr;
  if (done) done(ok, error);
}

bool Snapshotter::save_now(const std::string& path, const store::rdb::AuxFields& aux,
                           std::string* error) {
  if (child_ > 0) {
    *error = "Background save already in progress";
    return false;
  }
  if (!store::rdb::save_rdb_file(keyspace_, aux, path, error)) {
    ::unlink(path.c_str());
    return false;
  }
  ++saves_;
  last_ok_sec_ = util::wall_ms() / 1000;
  return true;
}

}  // namespace zakros::server
