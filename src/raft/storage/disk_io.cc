#include "raft/storage/disk_io.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace zakros::raft::disk {

std::uint64_t checksum(std::string_view bytes) {
  return XXH3_64bits(bytes.data(), bytes.size());
}

bool checksum_file(const std::string& path, std::uint64_t* sum, std::uint64_t* size,
                   std::string* error) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *error = errno_message("open", path);
    return false;
  }
  XXH3_state_t* state = XXH3_createState();
  XXH3_64bits_reset(state);
  std::string buf(1 << 20, '\0');
  *size = 0;
  bool ok = true;
  for (;;) {
    const ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      *error = errno_message("read", path);
      ok = false;
      break;
    }
    if (n == 0) break;
    XXH3_64bits_update(state, buf.data(), static_cast<std::size_t>(n));
    *size += static_cast<std::uint64_t>(n);
  }
  *sum = XXH3_64bits_digest(state);
  XXH3_freeState(state);
  ::close(fd);
  return ok;
}

std::string errno_message(std::string_view what, const std::string& path) {
  std::string m(what);
  m += ' ';
  m += path;
  m += ": ";
  m += std::strerror(errno);
  return m;
}

bool pwrite_all(int fd, std::string_view data, std::uint64_t offset) {
  while (!data.empty()) {
    const ssize_t n = ::pwrite(fd, data.data(), data.size(), static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(n));
    offset += static_cast<std::uint64_t>(n);
  }
  return true;
}

bool pread_all(int fd, char* buf, std::size_t n, std::uint64_t offset) {
  while (n > 0) {
    const ssize_t r = ::pread(fd, buf, n, static_cast<off_t>(offset));
    if (r < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    if (r == 0) {
      errno = EIO;  // short file: reported like an I/O error by callers that expected the bytes
      return false;
    }
    buf += r;
    n -= static_cast<std::size_t>(r);
    offset += static_cast<std::uint64_t>(r);
  }
  return true;
}

bool fsync_dir(const std::string& dir, std::string* error) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    *error = errno_message("open directory", dir);
    return false;
  }
  const bool ok = ::fsync(fd) == 0;
  if (!ok) *error = errno_message("fsync directory", dir);
  ::close(fd);
  return ok;
}

bool make_dirs(const std::string& dir, std::string* error) {
  std::string path;
  std::size_t pos = 0;
  while (pos != std::string::npos) {
    pos = dir.find('/', pos + 1);
    path = dir.substr(0, pos);
    if (path.empty()) continue;
    if (::mkdir(path.c_str(), 0755) == 0) {
      // The new directory's name is durable only once its parent is synced.
      const std::size_t slash = path.rfind('/');
      const std::string parent = slash == 0                   ? "/"
                                 : slash == std::string::npos ? "."
                                                              : path.substr(0, slash);
      if (!fsync_dir(parent, error)) return false;
    } else if (errno != EEXIST) {
      *error = errno_message("mkdir", path);
      return false;
    }
  }
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    errno = ENOTDIR;
    *error = errno_message("mkdir", dir);
    return false;
  }
  return true;
}

bool read_whole_file(const std::string& path, std::string* out, std::string* error, bool* missing) {
  if (missing != nullptr) *missing = false;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (missing != nullptr && errno == ENOENT) *missing = true;
    *error = errno_message("open", path);
    return false;
  }
  out->clear();
  char buf[64 * 1024];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      *error = errno_message("read", path);
      ::close(fd);
      return false;
    }
    if (n == 0) break;
    out->append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return true;
}

std::string join(const std::string& dir, const std::string& name) {
  if (dir.empty() || dir.back() == '/') return dir + name;
  return dir + "/" + name;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool write_file_atomic(const std::string& path, std::string_view contents, std::string* error) {
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    *error = errno_message("create", tmp);
    return false;
  }
  if (!pwrite_all(fd, contents, 0)) {
    *error = errno_message("write", tmp);
    ::close(fd);
    return false;
  }
  if (::fsync(fd) != 0) {
    *error = errno_message("fsync", tmp);
    ::close(fd);
    return false;
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    *error = errno_message("rename to " + path + " from", tmp);
    return false;
  }
  const std::size_t slash = path.rfind('/');
  return fsync_dir(slash == std::string::npos ? std::string(".") : path.substr(0, slash), error);
}

bool list_dir(const std::string& dir, std::vector<std::string>* names, std::string* error) {
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) {
    *error = errno_message("list directory", dir);
    return false;
  }
  names->clear();
  while (const dirent* e = ::readdir(d)) {
    const std::string_view n = e->d_name;
    if (n == "." || n == "..") continue;
    names->emplace_back(n);
  }
  ::closedir(d);
  return true;
}

void fail(const FatalHandler& handler, const std::string& message) {
  if (handler) handler(message);
  std::fprintf(stderr, "raft storage: fatal: %s\n", message.c_str());
  std::abort();
}

void warn(const WarnHandler& handler, const std::string& message) {
  if (handler) {
    handler(message);
  } else {
    std::fprintf(stderr, "raft storage: warning: %s\n", message.c_str());
  }
}

}  // namespace zakros::raft::disk
