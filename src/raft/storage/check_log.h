// The `zakros --check-log DIR` mode: verifies and summarises a node's Raft files without
// changing them.
//
// DIR may be a node directory (<dir>/node-<id>, holding log/, snapshots/, hard_state), a data
// directory holding several node-<id> directories (each is checked), or a bare log directory
// (*.seg files). For each node it prints the snapshots (newest valid one, invalid ones with
// file and offset, leftovers), every segment (file, entries, terms, bytes), the torn tail that
// opening would truncate, the hard state, and whether the three fit together (as
// open_disk_storage() checks them).
//
// Returns the process exit code: 0 when everything is clean; 1 when the node would start after
// repairs (truncating a torn tail of unsynced writes, removing unfinished temporary files, skipping
// an invalid snapshot the log does not need); 2 when it
// would refuse to start (corruption, with file and byte offset; a hole in the log; committed
// entries missing) or DIR holds no node files.
#pragma once

#include <ostream>
#include <string>

namespace zakros::raft {

int check_log_dir(const std::string& dir, std::ostream& out);

}  // namespace zakros::raft
