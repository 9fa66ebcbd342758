#pragma once
/// What the store runs SQL through: a Connection with a statement cache, over one of two
/// drivers, chosen by the name it is opened with: a file path (or `file:` URI) opens SQLite,
/// the embedded default; a `postgresql://` URL opens PostgreSQL through libpq
/// (store/postgres_driver.hpp), which rewrites the store's SQLite-flavoured SQL as it prepares
/// it (store/postgres_sql.hpp). Expected outcomes (a row, done, a constraint refusal) are
/// return values; anything else is a StoreError exception, which the caller's transaction
/// turns into a rollback. ErrorOf says what it means to a client: a busy database (503 busy),
/// a failing disk or lost server (503 storage_unavailable), or a bug (500).

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/live_event.hpp"
#include "core/result.hpp"
#include "core/text.hpp"

struct sqlite3;

namespace swabline::store {

/// The store failed. `code` is an SQLite (extended) result code, 0 when the store itself
/// refused; the PostgreSQL driver maps each SQLSTATE to the SQLite code of the same meaning
/// (a serialization failure to SQLITE_BUSY, a lost server to SQLITE_IOERR, …), so that every
/// caller's reading of a failure holds for both.
class StoreError : public std::runtime_error {
 public:
  StoreError(int code, const std::string& what) : std::runtime_error(what), code_(code) {}
  int code() const { return code_; }

 private:
  int code_;
};

/// A statement that no constraint may refuse by design was refused anyway (a guard trigger's
/// RAISE(ABORT), a CHECK, a UNIQUE index): the use case has a bug. The message is the
/// database's, which for a trigger is its RAISE text. Thrown inside a write job, it fails the
/// job whole.
class ConstraintRefused : public StoreError {
 public:
  using StoreError::StoreError;
};

/// What a StoreError means to a client: kBusy when another connection held the lock past the
/// busy timeout; kStorageUnavailable when the disk is full or failing or the file cannot be
/// used; kInternal for anything else (a bug: bad SQL, a refused constraint, misuse). The
/// detail is the database's message, for the log: it may quote SQL, so it is not for a client.
core::Error ErrorOf(const StoreError& e);

enum class Step { kRow, kDone, kConstraint };

enum class Dialect { kSqlite, kPostgres };

/// A prepared statement. Bind indexes are 1-based, column indexes 0-based.
/// Not thread-safe: belongs to its connection's thread.
class Statement {
 public:
  virtual ~Statement() = default;
  Statement() = default;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  virtual Statement& Bind(int index, std::int64_t value) = 0;
  Statement& Bind(int index, int value) { return Bind(index, static_cast<std::int64_t>(value)); }
  virtual Statement& Bind(int index, std::string_view text) = 0;
  Statement& Bind(int index, const char* text) { return Bind(index, std::string_view(text)); }
  Statement& Bind(int index, const std::string& text) {
    return Bind(index, std::string_view(text));
  }
  virtual Statement& Bind(int index, double value) = 0;
  /// Binds text without copying it: for the thousands of values a bulk statement takes.
  /// REQUIRES: `text` outlives this use of the statement (until it is reset).
  virtual Statement& BindView(int index, std::string_view text) = 0;
  virtual Statement& BindBlob(int index, std::string_view bytes) = 0;
  virtual Statement& BindNull(int index) = 0;
  template <typename T>
  Statement& Bind(int index, const std::optional<T>& value) {
    return value ? Bind(index, *value) : BindNull(index);
  }

  /// Runs one step. Throws StoreError on anything but a row, done or a constraint violation.
  virtual Step Next() = 0;
  /// Runs to completion and resets. Returns false on a constraint violation, which the caller
  /// must turn into its domain error: an ignored refusal would let the rest of a use case
  /// commit without the refused change.
  [[nodiscard]] bool Run();
  /// As Run, for a statement no constraint may refuse by design; a refusal is a bug and throws
  /// ConstraintRefused, which fails the whole use case (nothing of it is kept).
  void RunOrThrow();
  /// Clears bindings and rewinds so the statement can be used again.
  virtual void Reset() = 0;

  virtual bool IsNull(int col) const = 0;
  virtual std::int64_t Int(int col) const = 0;
  virtual double Real(int col) const = 0;
  virtual std::string_view Text(int col) const = 0;
  std::string Str(int col) const { return std::string(Text(col)); }
  std::optional<std::int64_t> OptInt(int col) const;
  std::optional<std::string> OptStr(int col) const;
  /// Raw bytes (BLOB on SQLite, bytea on PostgreSQL).
  virtual std::string_view Blob(int col) const = 0;

 protected:
  /// Why the last Next() answered kConstraint, with the statement's text: for RunOrThrow.
  virtual ConstraintRefused Refusal() const = 0;
};

/// Resets a cached statement when a use of it ends, however it ends.
class StatementUse {
 public:
  explicit StatementUse(Statement& s) : s_(s) {}
  ~StatementUse() { s_.Reset(); }
  StatementUse(const StatementUse&) = delete;
  StatementUse& operator=(const StatementUse&) = delete;
  Statement* operator->() { return &s_; }
  Statement& operator*() { return s_; }

 private:
  Statement& s_;
};

enum class OpenMode { kReadWrite, kReadOnly };

/// What a Connection runs on: one database session of one engine.
class Driver {
 public:
  virtual ~Driver() = default;
  virtual Dialect dialect() const = 0;
  virtual void Exec(std::string_view sql) = 0;
  virtual std::unique_ptr<Statement> Prepare(std::string_view sql) = 0;
  virtual std::int64_t LastInsertId() = 0;
  virtual int Changes() const = 0;
  /// Inside a transaction that is still open (SQLite may roll one back under a failing job).
  virtual bool InTransaction() const = 0;
  virtual sqlite3* raw() { return nullptr; }
};

/// True when `name` names a PostgreSQL database (a `postgresql://` or `postgres://` URL).
bool IsPostgresUrl(std::string_view name);

/// One database connection with a statement cache. Not thread-safe.
class Connection {
 public:
  /// Opens SQLite for a path or `file:` URI, PostgreSQL for a `postgresql://` URL.
  Connection(const std::string& name, OpenMode mode);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  Dialect dialect() const { return dialect_; }
  void Exec(std::string_view sql) { driver_->Exec(sql); }
  /// A cached statement for `sql`, reset and ready to bind. Wrap it in StatementUse (or use
  /// Query) so it is reset after use.
  StatementUse Query(std::string_view sql);
  std::int64_t LastInsertId() const { return driver_->LastInsertId(); }
  int Changes() const { return driver_->Changes(); }
  bool InTransaction() const { return driver_->InTransaction(); }
  /// The SQLite handle, for what only SQLite has (the online backup); nullptr on PostgreSQL.
  sqlite3* raw() { return driver_->raw(); }

 private:
  struct Cached {
    std::string_view sql;  // the key in cache_, which never moves
    Statement* statement;
  };

  // Declared before the caches, so destroyed after them: statements die before their session.
  std::unique_ptr<Driver> driver_;
  Dialect dialect_;
  std::unordered_map<std::string, std::unique_ptr<Statement>, core::StringHash, std::equal_to<>>
      cache_;
  /// The same statements by the address of the text they were last asked for: SQL is nearly
  /// always a string literal, asked for again and again from the same address, and comparing
  /// its text is cheaper than hashing it.
  std::unordered_map<const char*, Cached> by_address_;
};

/// The transaction a use case runs in. It is given to the use case, which never begins or
/// commits: the Writer groups many use cases into one commit (docs/architecture.md, Group commit),
/// each in its own savepoint.
/// The audit chain's last record as the writer knows it (store/audit.hpp, AppendAudit).
struct AuditChainHead {
  std::int64_t seq = 0;
  std::string hash;  // raw bytes
  std::int64_t at = 0;
};

class Tx {
 public:
  /// `staged`: where Publish keeps events until the transaction's fate is known (the writer's;
  /// none elsewhere, and then events are dropped). `audit_head`: where AppendAudit keeps the
  /// chain's head between records (the writer's, which empties it whenever a rollback may have
  /// taken records with it; none elsewhere, and then every record reads the head back).
  explicit Tx(Connection& c, std::vector<core::LiveEvent>* staged = nullptr,
              std::optional<AuditChainHead>* audit_head = nullptr)
      : c_(c), staged_(staged), audit_head_(audit_head) {}
  Connection& db() { return c_; }
  std::optional<AuditChainHead>* audit_head() { return audit_head_; }
  StatementUse Query(std::string_view sql) { return c_.Query(sql); }
  /// Tells the live dashboard of `event` once this change has committed; nothing is told if
  /// it rolls back. Copies a small value into a reused buffer: cheap enough for every scan.
  void Publish(const core::LiveEvent& event) {
    if (staged_) staged_->push_back(event);
  }

 private:
  Connection& c_;
  std::vector<core::LiveEvent>* staged_;
  std::optional<AuditChainHead>* audit_head_;
};

}  // namespace swabline::store
