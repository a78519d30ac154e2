#include "store/sqlite_gather.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <stdexcept>

namespace essor::store {
namespace {

constexpr const char* kName = "essor-gather";
// Written out when this much is waiting, whatever comes next.
constexpr std::size_t kMaxGathered = 8u << 20;
// The unix VFS writes at most 128 KiB - 1 bytes a call (it never needs
// more for a page): larger writes are cut.
constexpr std::size_t kMaxWrite = 64u << 10;

sqlite3_vfs* real_vfs = nullptr;  // the default VFS, set once before registering

struct GatherFile {
  sqlite3_file base;   // first: SQLite sees a GatherFile as a sqlite3_file
  sqlite3_file* real;  // the wrapped VFS's file, in the same allocation, after this
  // A WAL's frames not written yet: bytes from offset `start` on.
  std::string* gathered;
  sqlite3_int64 start;
  GatherFile* wal;   // on a database: its WAL's file, while open
  GatherFile* main;  // on a WAL: its database's file
};

GatherFile* of(sqlite3_file* file) {
  return reinterpret_cast<GatherFile*>(file);
}

// Writes what a WAL gathered, in calls of at most kMaxWrite bytes.
int flush(GatherFile* file) {
  if (!file || !file->gathered || file->gathered->empty()) return SQLITE_OK;
  const std::string& gathered = *file->gathered;
  int rc = SQLITE_OK;
  for (std::size_t from = 0; rc == SQLITE_OK && from < gathered.size(); from += kMaxWrite) {
    const std::size_t amount = std::min(kMaxWrite, gathered.size() - from);
    rc = file->real->pMethods->xWrite(file->real, gathered.data() + from, static_cast<int>(amount),
                                      file->start + static_cast<sqlite3_int64>(from));
  }
  file->gathered->clear();
  return rc;
}

int x_close(sqlite3_file* file) {
  GatherFile* self = of(file);
  int rc = flush(self);
  if (self->main && self->main->wal == self) self->main->wal = nullptr;
  if (self->wal) self->wal->main = nullptr;
  const int closed = self->real->pMethods ? self->real->pMethods->xClose(self->real) : SQLITE_OK;
  delete self->gathered;
  self->gathered = nullptr;
  return rc != SQLITE_OK ? rc : closed;
}

int x_read(sqlite3_file* file, void* out, int amount, sqlite3_int64 offset) {
  GatherFile* self = of(file);
  if (const int rc = flush(self); rc != SQLITE_OK) return rc;
  return self->real->pMethods->xRead(self->real, out, amount, offset);
}

int x_write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  GatherFile* self = of(file);
  if (!self->gathered) return self->real->pMethods->xWrite(self->real, data, amount, offset);
  auto& gathered = *self->gathered;
  if (!gathered.empty() && (offset != self->start + static_cast<sqlite3_int64>(gathered.size()) ||
                            gathered.size() + static_cast<std::size_t>(amount) > kMaxGathered)) {
    if (const int rc = flush(self); rc != SQLITE_OK) return rc;
  }
  if (gathered.empty()) self->start = offset;
  try {
    gathered.append(static_cast<const char*>(data), static_cast<std::size_t>(amount));
  } catch (const std::bad_alloc&) {
    return SQLITE_IOERR_NOMEM;
  }
  return SQLITE_OK;
}

int x_truncate(sqlite3_file* file, sqlite3_int64 size) {
  GatherFile* self = of(file);
  if (const int rc = flush(self); rc != SQLITE_OK) return rc;
  return self->real->pMethods->xTruncate(self->real, size);
}

int x_sync(sqlite3_file* file, int flags) {
  GatherFile* self = of(file);
  if (const int rc = flush(self); rc != SQLITE_OK) return rc;
  return self->real->pMethods->xSync(self->real, flags);
}

int x_file_size(sqlite3_file* file, sqlite3_int64* size) {
  GatherFile* self = of(file);
  if (const int rc = flush(self); rc != SQLITE_OK) return rc;
  return self->real->pMethods->xFileSize(self->real, size);
}

int x_lock(sqlite3_file* file, int level) {
  return of(file)->real->pMethods->xLock(of(file)->real, level);
}

int x_unlock(sqlite3_file* file, int level) {
  GatherFile* self = of(file);
  if (const int rc = flush(self->wal); rc != SQLITE_OK) return rc;
  return self->real->pMethods->xUnlock(self->real, level);
}

int x_check_reserved_lock(sqlite3_file* file, int* out) {
  return of(file)->real->pMethods->xCheckReservedLock(of(file)->real, out);
}

int x_file_control(sqlite3_file* file, int op, void* arg) {
  GatherFile* self = of(file);
  if (const int rc = flush(self); rc != SQLITE_OK) return rc;
  return self->real->pMethods->xFileControl(self->real, op, arg);
}

int x_sector_size(sqlite3_file* file) {
  return of(file)->real->pMethods->xSectorSize(of(file)->real);
}

int x_device_characteristics(sqlite3_file* file) {
  return of(file)->real->pMethods->xDeviceCharacteristics(of(file)->real);
}

int x_shm_map(sqlite3_file* file, int page, int size, int extend, void volatile** out) {
  return of(file)->real->pMethods->xShmMap(of(file)->real, page, size, extend, out);
}

// The shared memory's locks and barrier are how a commit becomes visible
// to other connections (and how the writer lets go of the WAL): the
// frames are in the file first.
int x_shm_lock(sqlite3_file* file, int offset, int count, int flags) {
  GatherFile* self = of(file);
  if (const int rc = flush(self->wal); rc != SQLITE_OK) return rc;
  return self->real->pMethods->xShmLock(self->real, offset, count, flags);
}

void x_shm_barrier(sqlite3_file* file) {
  GatherFile* self = of(file);
  // Only a commit made without syncing the WAL (synchronous below FULL)
  // can come here with frames still gathered. The barrier cannot report
  // an error, and the commit's header is about to be shown to readers:
  // stopping the process is better than showing a commit whose frames
  // did not reach the file (SQLite's recovery then drops it).
  if (flush(self->wal) != SQLITE_OK) std::abort();
  self->real->pMethods->xShmBarrier(self->real);
}

int x_shm_unmap(sqlite3_file* file, int delete_flag) {
  return of(file)->real->pMethods->xShmUnmap(of(file)->real, delete_flag);
}

int x_fetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** out) {
  GatherFile* self = of(file);
  if (const int rc = flush(self); rc != SQLITE_OK) return rc;
  return self->real->pMethods->xFetch(self->real, offset, amount, out);
}

int x_unfetch(sqlite3_file* file, sqlite3_int64 offset, void* page) {
  return of(file)->real->pMethods->xUnfetch(of(file)->real, offset, page);
}

const sqlite3_io_methods kMethods = {
    3,
    x_close,
    x_read,
    x_write,
    x_truncate,
    x_sync,
    x_file_size,
    x_lock,
    x_unlock,
    x_check_reserved_lock,
    x_file_control,
    x_sector_size,
    x_device_characteristics,
    x_shm_map,
    x_shm_lock,
    x_shm_barrier,
    x_shm_unmap,
    x_fetch,
    x_unfetch,
};

int x_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
  GatherFile* self = of(file);
  std::memset(self, 0, sizeof(GatherFile));
  self->real = reinterpret_cast<sqlite3_file*>(self + 1);
  const int rc = real_vfs->xOpen(real_vfs, name, self->real, flags, out_flags);
  if (rc != SQLITE_OK) return rc;  // base.pMethods stays null: SQLite does not close it
  if (self->real->pMethods && self->real->pMethods->iVersion < 3) {
    // kMethods forwards the shared memory's and mapping's methods, which a
    // file of an older version lacks (the unix VFS's are version 3).
    self->real->pMethods->xClose(self->real);
    return SQLITE_CANTOPEN;
  }
  if (flags & SQLITE_OPEN_WAL) {
    self->gathered = new (std::nothrow) std::string;
    // The database is opened before its WAL, through this VFS too.
    if (self->gathered && name) {
      self->main = of(sqlite3_database_file_object(name));
      self->main->wal = self;
    }
  }
  self->base.pMethods = self->real->pMethods ? &kMethods : nullptr;
  return SQLITE_OK;
}

// Everything but opening a file is the default VFS's.
int x_delete(sqlite3_vfs*, const char* name, int sync_dir) {
  return real_vfs->xDelete(real_vfs, name, sync_dir);
}
int x_access(sqlite3_vfs*, const char* name, int flags, int* out) {
  return real_vfs->xAccess(real_vfs, name, flags, out);
}
int x_full_pathname(sqlite3_vfs*, const char* name, int size, char* out) {
  return real_vfs->xFullPathname(real_vfs, name, size, out);
}
void* x_dl_open(sqlite3_vfs*, const char* name) {
  return real_vfs->xDlOpen(real_vfs, name);
}
void x_dl_error(sqlite3_vfs*, int size, char* out) {
  real_vfs->xDlError(real_vfs, size, out);
}
void (*x_dl_sym(sqlite3_vfs*, void* handle, const char* symbol))(void) {
  return real_vfs->xDlSym(real_vfs, handle, symbol);
}
void x_dl_close(sqlite3_vfs*, void* handle) {
  real_vfs->xDlClose(real_vfs, handle);
}
int x_randomness(sqlite3_vfs*, int size, char* out) {
  return real_vfs->xRandomness(real_vfs, size, out);
}
int x_sleep(sqlite3_vfs*, int microseconds) {
  return real_vfs->xSleep(real_vfs, microseconds);
}
int x_current_time(sqlite3_vfs*, double* out) {
  return real_vfs->xCurrentTime(real_vfs, out);
}
int x_get_last_error(sqlite3_vfs*, int size, char* out) {
  return real_vfs->xGetLastError ? real_vfs->xGetLastError(real_vfs, size, out) : 0;
}
int x_current_time_int64(sqlite3_vfs*, sqlite3_int64* out) {
  return real_vfs->xCurrentTimeInt64(real_vfs, out);
}

}  // namespace

const char* gathering_vfs() {
  static std::once_flag once;
  static sqlite3_vfs vfs{};
  std::call_once(once, [] {
    real_vfs = sqlite3_vfs_find(nullptr);
    if (!real_vfs || real_vfs->iVersion < 2) throw std::runtime_error("sqlite: no default VFS");
    vfs.iVersion = 2;
    vfs.szOsFile = static_cast<int>(sizeof(GatherFile)) + real_vfs->szOsFile;
    vfs.mxPathname = real_vfs->mxPathname;
    vfs.zName = kName;
    vfs.xOpen = x_open;
    vfs.xDelete = x_delete;
    vfs.xAccess = x_access;
    vfs.xFullPathname = x_full_pathname;
    vfs.xDlOpen = x_dl_open;
    vfs.xDlError = x_dl_error;
    vfs.xDlSym = x_dl_sym;
    vfs.xDlClose = x_dl_close;
    vfs.xRandomness = x_randomness;
    vfs.xSleep = x_sleep;
    vfs.xCurrentTime = x_current_time;
    vfs.xGetLastError = x_get_last_error;
    vfs.xCurrentTimeInt64 = x_current_time_int64;
    if (sqlite3_vfs_register(&vfs, 0) != SQLITE_OK)
      throw std::runtime_error("sqlite: the gathering VFS could not be registered");
  });
  return kName;
}

std::string gathering_uri(const std::string& path) {
  const std::string vfs = std::string("vfs=") + gathering_vfs();
  if (path.starts_with("file:")) {
    // Already a URI: the parameter joins its own, before any fragment.
    const std::size_t end = std::min(path.find('#'), path.size());
    const bool has_query = path.find('?') < end;
    return path.substr(0, end) + (has_query ? "&" : "?") + vfs + path.substr(end);
  }
  std::string out = "file:";
  for (const char c : path) {
    if (c == '%') {
      out += "%25";
    } else if (c == '?') {
      out += "%3f";
    } else if (c == '#') {
      out += "%23";
    } else {
      out.push_back(c);
    }
  }
  return out + "?" + vfs;
}

}  // namespace essor::store
