#include "support/store/fault_vfs_test_support.hpp"

#include <sqlite3.h>

#include <atomic>
#include <cstddef>
#include <stdexcept>

namespace swabline::store::test {
namespace {

std::atomic<bool> disk_full{false};
std::atomic<bool> sync_fails{false};
std::atomic<int> writes_refused{0};
std::atomic<int> syncs_refused{0};

sqlite3_vfs* real = nullptr;  // the default VFS, set once at registration

/// Our file: its methods, then the real VFS's file, which lives right after it.
struct FaultyFile {
  sqlite3_file base;
  sqlite3_file* real() { return reinterpret_cast<sqlite3_file*>(this + 1); }
};

sqlite3_file* Real(sqlite3_file* f) { return reinterpret_cast<FaultyFile*>(f)->real(); }

int Close(sqlite3_file* f) { return Real(f)->pMethods->xClose(Real(f)); }
int Read(sqlite3_file* f, void* buf, int n, sqlite3_int64 off) {
  return Real(f)->pMethods->xRead(Real(f), buf, n, off);
}
int Write(sqlite3_file* f, const void* buf, int n, sqlite3_int64 off) {
  if (disk_full) {
    ++writes_refused;
    return SQLITE_FULL;
  }
  return Real(f)->pMethods->xWrite(Real(f), buf, n, off);
}
int Truncate(sqlite3_file* f, sqlite3_int64 size) {
  return Real(f)->pMethods->xTruncate(Real(f), size);
}
int Sync(sqlite3_file* f, int flags) {
  if (sync_fails) {
    ++syncs_refused;
    return SQLITE_IOERR_FSYNC;
  }
  return Real(f)->pMethods->xSync(Real(f), flags);
}
int FileSize(sqlite3_file* f, sqlite3_int64* size) {
  return Real(f)->pMethods->xFileSize(Real(f), size);
}
int Lock(sqlite3_file* f, int level) { return Real(f)->pMethods->xLock(Real(f), level); }
int Unlock(sqlite3_file* f, int level) { return Real(f)->pMethods->xUnlock(Real(f), level); }
int CheckReservedLock(sqlite3_file* f, int* out) {
  return Real(f)->pMethods->xCheckReservedLock(Real(f), out);
}
int FileControl(sqlite3_file* f, int op, void* arg) {
  return Real(f)->pMethods->xFileControl(Real(f), op, arg);
}
int SectorSize(sqlite3_file* f) { return Real(f)->pMethods->xSectorSize(Real(f)); }
int DeviceCharacteristics(sqlite3_file* f) {
  return Real(f)->pMethods->xDeviceCharacteristics(Real(f));
}
int ShmMap(sqlite3_file* f, int region, int size, int extend, void volatile** out) {
  return Real(f)->pMethods->xShmMap(Real(f), region, size, extend, out);
}
int ShmLock(sqlite3_file* f, int offset, int n, int flags) {
  return Real(f)->pMethods->xShmLock(Real(f), offset, n, flags);
}
void ShmBarrier(sqlite3_file* f) { Real(f)->pMethods->xShmBarrier(Real(f)); }
int ShmUnmap(sqlite3_file* f, int delete_flag) {
  return Real(f)->pMethods->xShmUnmap(Real(f), delete_flag);
}
int Fetch(sqlite3_file* f, sqlite3_int64 off, int n, void** out) {
  return Real(f)->pMethods->xFetch(Real(f), off, n, out);
}
int Unfetch(sqlite3_file* f, sqlite3_int64 off, void* p) {
  return Real(f)->pMethods->xUnfetch(Real(f), off, p);
}

// The shared-memory methods are what WAL needs; every method passes through but two.
const sqlite3_io_methods kMethods = {3,
                                     Close,
                                     Read,
                                     Write,
                                     Truncate,
                                     Sync,
                                     FileSize,
                                     Lock,
                                     Unlock,
                                     CheckReservedLock,
                                     FileControl,
                                     SectorSize,
                                     DeviceCharacteristics,
                                     ShmMap,
                                     ShmLock,
                                     ShmBarrier,
                                     ShmUnmap,
                                     Fetch,
                                     Unfetch};

int Open(sqlite3_vfs*, const char* name, sqlite3_file* f, int flags, int* out_flags) {
  auto* file = reinterpret_cast<FaultyFile*>(f);
  file->base.pMethods = nullptr;  // until the real file is open, SQLite must not close it
  int rc = real->xOpen(real, name, file->real(), flags, out_flags);
  if (rc == SQLITE_OK && file->real()->pMethods) file->base.pMethods = &kMethods;
  return rc;
}
int Delete(sqlite3_vfs*, const char* name, int sync_dir) {
  return real->xDelete(real, name, sync_dir);
}
int Access(sqlite3_vfs*, const char* name, int flags, int* out) {
  return real->xAccess(real, name, flags, out);
}
int FullPathname(sqlite3_vfs*, const char* name, int n, char* out) {
  return real->xFullPathname(real, name, n, out);
}
void* DlOpen(sqlite3_vfs*, const char* name) { return real->xDlOpen(real, name); }
void DlError(sqlite3_vfs*, int n, char* out) { real->xDlError(real, n, out); }
void (*DlSym(sqlite3_vfs*, void* h, const char* sym))(void) { return real->xDlSym(real, h, sym); }
void DlClose(sqlite3_vfs*, void* h) { real->xDlClose(real, h); }
int Randomness(sqlite3_vfs*, int n, char* out) { return real->xRandomness(real, n, out); }
int Sleep(sqlite3_vfs*, int micros) { return real->xSleep(real, micros); }
int CurrentTime(sqlite3_vfs*, double* out) { return real->xCurrentTime(real, out); }
int GetLastError(sqlite3_vfs*, int n, char* out) { return real->xGetLastError(real, n, out); }
int CurrentTimeInt64(sqlite3_vfs*, sqlite3_int64* out) {
  return real->xCurrentTimeInt64(real, out);
}

sqlite3_vfs MakeVfs() {
  sqlite3_vfs v{};
  v.iVersion = 2;
  v.szOsFile = static_cast<int>(sizeof(FaultyFile)) + real->szOsFile;
  v.mxPathname = real->mxPathname;
  v.zName = "faulty";
  v.xOpen = Open;
  v.xDelete = Delete;
  v.xAccess = Access;
  v.xFullPathname = FullPathname;
  v.xDlOpen = DlOpen;
  v.xDlError = DlError;
  v.xDlSym = DlSym;
  v.xDlClose = DlClose;
  v.xRandomness = Randomness;
  v.xSleep = Sleep;
  v.xCurrentTime = CurrentTime;
  v.xGetLastError = GetLastError;
  v.xCurrentTimeInt64 = CurrentTimeInt64;
  return v;
}

}  // namespace

FaultVfs& FaultVfs::Get() {
  static FaultVfs* instance = [] {
    real = sqlite3_vfs_find(nullptr);
    if (!real) throw std::runtime_error("no default SQLite VFS");
    static sqlite3_vfs vfs = MakeVfs();
    if (sqlite3_vfs_register(&vfs, 0) != SQLITE_OK)
      throw std::runtime_error("cannot register the faulty VFS");
    return new FaultVfs;
  }();
  return *instance;
}

void FaultVfs::SetDiskFull(bool on) { disk_full = on; }
void FaultVfs::SetSyncFails(bool on) { sync_fails = on; }

void FaultVfs::Clear() {
  disk_full = false;
  sync_fails = false;
  writes_refused = 0;
  syncs_refused = 0;
}

int FaultVfs::refused_writes() const { return writes_refused; }
int FaultVfs::refused_syncs() const { return syncs_refused; }

std::string FaultyUri(const std::string& path) {
  FaultVfs::Get();
  return "file:" + path + "?vfs=faulty";
}

}  // namespace swabline::store::test
