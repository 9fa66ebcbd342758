#include "store/sqlite_driver.hpp"

#include <sqlite3.h>

namespace swabline::store {
namespace {

[[noreturn]] void Throw(sqlite3* db, int rc, std::string_view context) {
  std::string msg(context);
  msg += ": ";
  msg += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  throw StoreError(rc, msg);
}

class SqliteStatement final : public Statement {
 public:
  explicit SqliteStatement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~SqliteStatement() override { sqlite3_finalize(stmt_); }
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  using Statement::Bind;
  Statement& Bind(int index, std::int64_t value) override {
    Check(sqlite3_bind_int64(stmt_, index, value));
    return *this;
  }
  Statement& Bind(int index, std::string_view text) override {
    Check(
        sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
    return *this;
  }
  Statement& Bind(int index, double value) override {
    Check(sqlite3_bind_double(stmt_, index, value));
    return *this;
  }
  Statement& BindView(int index, std::string_view text) override {
    Check(sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_STATIC, SQLITE_UTF8));
    return *this;
  }
  Statement& BindBlob(int index, std::string_view bytes) override {
    Check(sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT));
    return *this;
  }
  Statement& BindNull(int index) override {
    Check(sqlite3_bind_null(stmt_, index));
    return *this;
  }

  Step Next() override {
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

  void Reset() override {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

  bool IsNull(int col) const override { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::int64_t Int(int col) const override { return sqlite3_column_int64(stmt_, col); }
  double Real(int col) const override { return sqlite3_column_double(stmt_, col); }
  std::string_view Text(int col) const override {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    if (!p) return {};
    return {p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))};
  }
  std::string_view Blob(int col) const override {
    const void* p = sqlite3_column_blob(stmt_, col);
    if (!p) return {};
    return {static_cast<const char*>(p),
            static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))};
  }

 protected:
  ConstraintRefused Refusal() const override {
    sqlite3* db = sqlite3_db_handle(stmt_);
    std::string sql = sqlite3_sql(stmt_) ? sqlite3_sql(stmt_) : "";
    return {sqlite3_extended_errcode(db),
            "refused [" + sql.substr(0, 120) + "]: " + sqlite3_errmsg(db)};
  }

 private:
  void Check(int rc) const {
    if (rc != SQLITE_OK) Throw(sqlite3_db_handle(stmt_), rc, "bind");
  }

  sqlite3_stmt* stmt_;
};

class SqliteDriver final : public Driver {
 public:
  SqliteDriver(const std::string& path, OpenMode mode) {
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
    // A file that is not a database opens and fails only here; the destructor does not run
    // for a constructor that throws, so the handle is closed here (LeakSanitizer found it).
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
  ~SqliteDriver() override { sqlite3_close(db_); }
  SqliteDriver(const SqliteDriver&) = delete;
  SqliteDriver& operator=(const SqliteDriver&) = delete;

  Dialect dialect() const override { return Dialect::kSqlite; }

  void Exec(std::string_view sql) override {
    std::string s(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string msg = err ? err : sqlite3_errstr(rc);
      sqlite3_free(err);
      throw StoreError(rc, "exec [" + s.substr(0, 120) + "]: " + msg);
    }
  }

  std::unique_ptr<Statement> Prepare(std::string_view sql) override {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) Throw(db_, rc, "prepare [" + std::string(sql.substr(0, 120)) + "]");
    return std::make_unique<SqliteStatement>(stmt);
  }

  std::int64_t LastInsertId() override { return sqlite3_last_insert_rowid(db_); }
  int Changes() const override { return sqlite3_changes(db_); }
  bool InTransaction() const override { return sqlite3_get_autocommit(db_) == 0; }
  sqlite3* raw() override { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace

std::unique_ptr<Driver> OpenSqlite(const std::string& path, OpenMode mode) {
  return std::make_unique<SqliteDriver>(path, mode);
}

}  // namespace swabline::store
