// TempDir: a fresh directory under the system's temporary directory for one test, removed with
// everything in it when the test ends (the disk stores' tests all need one).
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <string>
#include <string_view>

namespace zakros::raft::testing {

class TempDir {
 public:
  // `prefix` names the directory (zakros-<prefix>-XXXXXX) so that a leftover one says whose it
  // was.
  explicit TempDir(std::string_view prefix) {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / ("zakros-" + std::string(prefix) + "-XXXXXX"))
            .string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace zakros::raft::testing
