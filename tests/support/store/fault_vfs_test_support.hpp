#pragma once
/// For tests only (store and service): real storage faults, not mocks. A SQLite VFS named
/// "faulty" wraps the default one and, while a switch is on, fails writes with SQLITE_FULL
/// (a full disk) or fsyncs with SQLITE_IOERR_FSYNC. Open a database on it by URI:
/// Connection(FaultyUri(path), …), or Writer(FaultyUri(path)).

#include <string>

namespace swabline::store::test {

/// The switches of the "faulty" VFS, process-wide; registers it on first use. Thread-safe.
class FaultVfs {
 public:
  /// Registers the VFS once (not as the default) and returns the switches.
  static FaultVfs& Get();

  /// While on, every write to a database, WAL or journal file fails with SQLITE_FULL.
  void SetDiskFull(bool on);
  /// While on, every sync fails with SQLITE_IOERR_FSYNC.
  void SetSyncFails(bool on);
  /// Turns every fault off.
  void Clear();
  /// Writes refused since the last Clear: shows that a test's fault actually struck.
  int refused_writes() const;
  int refused_syncs() const;
};

/// "file:<path>?vfs=faulty", for Connection and Writer, which open URIs.
std::string FaultyUri(const std::string& path);

}  // namespace swabline::store::test
