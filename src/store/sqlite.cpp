#include "store/sqlite.hpp"

#include <sqlite3.h>

namespace swabline::store {
namespace {

[[noreturn]] void Throw(sqlite3* db, int rc, std::string_view context) {
  std::string msg(context);
  msg += ": ";
  msg += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  throw StoreError(rc, msg);
}

}  // namespace

core::Error ErrorOf(const StoreError& e) {
  switch (e.code() & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return {core::ErrorCode::kBusy, e.what()};
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_NOMEM:
    case SQLITE_NOLFS:
    case SQLITE_PROTOCOL: return {core::ErrorCode::kStorageUnavailable, e.what()};
    default: return {core::ErrorCode::kInternal, e.what()};
  }
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::Bind(int index, std::int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) Throw(sqlite3_db_handle(stmt_), rc, "bind");
  return *this;
}

Statement& Statement::Bind(int index, std::string_view text) {
  int rc =
      sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK) Throw(sqlite3_db_handle(stmt_), rc, "bind");
  return *this;
}

Statement& Statement::Bind(int index, double value) {
  int rc = sqlite3_bind_double(stmt_, index, value);
  if (rc != SQLITE_OK) Throw(sqlite3_db_handle(stmt_), rc, "bind");
  return *this;
}

Statement& Statement::BindView(int index, std::string_view text) {
  int rc = sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_STATIC, SQLITE_UTF8);
  if (rc != SQLITE_OK) Throw(sqlite3_db_handle(stmt_), rc, "bind");
  return *this;
}

Statement& Statement::BindBlob(int index, std::string_view bytes) {
  int rc = sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) Throw(sqlite3_db_handle(stmt_), rc, "bind");
  return *this;
}

Statement& Statement::BindNull(int index) {
  int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) Throw(sqlite3_db_handle(stmt_), rc, "bind");
  return *this;
}

Step Statement::Next() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return Step::kRow;
  if (rc == SQLITE_DONE) return Step::kDone;
  if ((rc & 0xff) == SQLITE_CONSTRAINT) {
    sqlite3_reset(stmt_);
    return Step::kConstraint;
  }
  sqlite3* db = sqlite3_db_handle(stmt_);
  std::string sql = sqlite3_sql(stmt_) ? sqlite3_sql(stmt_) : "";
  sqlite3_reset(stmt_);
  Throw(db, rc, "step [" + sql.substr(0, 120) + "]");
}

bool Statement::Run() {
  Step s;
  while ((s = Next()) == Step::kRow) {
  }
  Reset();
  return s == Step::kDone;
}

void Statement::RunOrThrow() {
  if (Run()) return;
  sqlite3* db = sqlite3_db_handle(stmt_);
  std::string sql = sqlite3_sql(stmt_) ? sqlite3_sql(stmt_) : "";
  throw ConstraintRefused(sqlite3_extended_errcode(db),
                          "refused [" + sql.substr(0, 120) + "]: " + sqlite3_errmsg(db));
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool Statement::IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
std::int64_t Statement::Int(int col) const { return sqlite3_column_int64(stmt_, col); }
double Statement::Real(int col) const { return sqlite3_column_double(stmt_, col); }

std::string_view Statement::Text(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  if (!p) return {};
  return {p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))};
}

std::optional<std::int64_t> Statement::OptInt(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Int(col);
}

std::optional<std::string> Statement::OptStr(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Str(col);
}

std::string_view Statement::Blob(int col) const {
  const void* p = sqlite3_column_blob(stmt_, col);
  if (!p) return {};
  return {static_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))};
}

Connection::Connection(const std::string& path, OpenMode mode) {
  // Before SQLite's first use: no global allocation statistics, whose lock every allocation
  // of every connection would otherwise take (measured: 27k instructions a scan).
  static const bool kConfigured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
  (void)kConfigured;
  // URI names ("file:…?vfs=…") let tests open a database on a fault-injecting VFS.
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI |
              (mode == OpenMode::kReadOnly ? SQLITE_OPEN_READONLY
                                           : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = "open " + path + ": " + (db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc));
    sqlite3_close(db_);
    db_ = nullptr;
    throw StoreError(rc, msg);
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, 5000);
  // A file that is not a database opens and fails only here; the destructor does not run for
  // a constructor that throws, so the handle is closed here (LeakSanitizer found it).
  try {
    Exec("PRAGMA foreign_keys=ON");
    if (mode == OpenMode::kReadWrite) {
      Exec("PRAGMA journal_mode=WAL");
      // FULL: a commit is on disk before we answer. Group commit makes this affordable.
      Exec("PRAGMA synchronous=FULL");
    }
    Exec("PRAGMA cache_size=-65536");
  } catch (...) {
    sqlite3_close(db_);
    db_ = nullptr;
    throw;
  }
  // temp_store stays FILE: with MEMORY, every statement journal inside a savepoint (each
  // group-committed job runs in one) is truncated by walking it from the start, which made
  // large uploads quadratic.
}

Connection::~Connection() {
  by_address_.clear();
  cache_.clear();
  sqlite3_close(db_);
}

void Connection::Exec(std::string_view sql) {
  std::string s(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    throw StoreError(rc, "exec [" + s.substr(0, 120) + "]: " + msg);
  }
}

StatementUse Connection::Query(std::string_view sql) {
  // A dynamic string may reuse an address with other SQL, so the text confirms the hit.
  if (auto hit = by_address_.find(sql.data()); hit != by_address_.end() && hit->second.sql == sql)
    return StatementUse(*hit->second.statement);
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) Throw(db_, rc, "prepare [" + std::string(sql.substr(0, 120)) + "]");
    it = cache_.emplace(std::string(sql), std::make_unique<Statement>(stmt)).first;
  }
  // SQL built at run time lands at ever new addresses; forget them now and then, so that the
  // side table stays about as small as the cache itself.
  if (by_address_.size() > 2 * cache_.size() + 64) by_address_.clear();
  by_address_[sql.data()] = Cached{it->first, it->second.get()};
  return StatementUse(*it->second);
}

std::int64_t Connection::LastInsertId() const { return sqlite3_last_insert_rowid(db_); }
int Connection::Changes() const { return sqlite3_changes(db_); }

}  // namespace swabline::store
