// Small POSIX file helpers shared by the disk stores (disk_log, disk_hard_state, disk_snapshot,
// check_log). Raft's layer depends on nothing but the standard library and system headers, so
// errors are returned as text ("<what> <path>: <strerror>") for the caller to log, and XXH3 comes
// from libxxhash's header in its inline (header-only) mode: nothing extra to link.
//
// Integers on disk are little-endian fixed width everywhere.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "raft/core/little_endian.h"

namespace zakros::raft::disk {

// XXH3-64 (libxxhash) of `bytes`: the checksum of every record, header and metadata file.
std::uint64_t checksum(std::string_view bytes);

// XXH3-64 and size of a whole file, read in chunks (snapshot payloads may be large).
bool checksum_file(const std::string& path, std::uint64_t* sum, std::uint64_t* size,
                   std::string* error);

using raft::get_u32;  // little_endian.h
using raft::get_u64;
using raft::put_u32;
using raft::put_u64;

// "<what> <path>: <strerror(errno)>".
std::string errno_message(std::string_view what, const std::string& path);

// Writes all of `data` at `offset` (pwrite, retried on short writes and EINTR).
bool pwrite_all(int fd, std::string_view data, std::uint64_t offset);
// Reads exactly `n` bytes at `offset`; false on an error or a short file.
bool pread_all(int fd, char* buf, std::size_t n, std::uint64_t offset);
// fsync of a directory, so that creations, renames and unlinks in it are durable.
bool fsync_dir(const std::string& dir, std::string* error);
// mkdir -p.
bool make_dirs(const std::string& dir, std::string* error);
// Whole file into `out`; false (with *error) if it cannot be read. *missing tells ENOENT apart.
bool read_whole_file(const std::string& path, std::string* out, std::string* error,
                     bool* missing = nullptr);
// Atomic replace: writes `contents` to `path`.tmp, fsyncs it, renames it over `path` and fsyncs
// the directory. After a crash `path` holds either the old or the new contents, never a mix.
bool write_file_atomic(const std::string& path, std::string_view contents, std::string* error);
// Names of the entries of `dir` (no "." or ".."), unsorted; false if it cannot be listed.
bool list_dir(const std::string& dir, std::vector<std::string>* names, std::string* error);
std::string join(const std::string& dir, const std::string& name);
bool ends_with(std::string_view s, std::string_view suffix);

// An I/O failure after a store was opened (a failed write or fsync cannot be retried safely:
// after a failed fsync the kernel may have dropped the dirty pages). Called with a message; must
// not return. The default prints to stderr and aborts, as the core does for a broken invariant.
using FatalHandler = std::function<void(const std::string&)>;
[[noreturn]] void fail(const FatalHandler& handler, const std::string& message);

// Warnings the stores cannot act on but the operator must see (torn tail truncated, stale
// temporary files removed). The server passes its logger; the default prints to stderr.
using WarnHandler = std::function<void(const std::string&)>;
void warn(const WarnHandler& handler, const std::string& message);

}  // namespace zakros::raft::disk
