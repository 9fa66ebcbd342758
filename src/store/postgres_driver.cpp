#include "store/postgres_driver.hpp"

#include <libpq-fe.h>
#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "store/postgres_sql.hpp"

namespace swabline::store {
namespace {

constexpr Oid kByteaOid = 17;
constexpr Oid kBoolOid = 16;

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

std::string Shorten(std::string_view sql) { return std::string(sql.substr(0, 120)); }

/// The message of a failed result or session, without libpq's trailing newline.
std::string MessageOf(const PGresult* r, PGconn* conn) {
  std::string m = r ? PQresultErrorMessage(r) : "";
  if (m.empty()) m = PQerrorMessage(conn);
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  return m;
}

/// The SQLite code for a failed result: by its SQLSTATE, or, when it has none (the session
/// is gone), an I/O error.
int CodeOf(const PGresult* r, PGconn* conn) {
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  if (!state || PQstatus(conn) == CONNECTION_BAD) return SQLITE_IOERR;
  return SqliteCodeOf(state);
}

bool Succeeded(const PGresult* r) {
  const ExecStatusType s = PQresultStatus(r);
  return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK || s == PGRES_EMPTY_QUERY;
}

/// Decodes bytea's hex text form (`\x0a1b…`).
std::string DecodeBytea(std::string_view text) {
  std::string out;
  if (text.size() < 2 || text[0] != '\\' || text[1] != 'x') return std::string(text);
  out.reserve((text.size() - 2) / 2);
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return 0;
  };
  for (std::size_t i = 2; i + 1 < text.size(); i += 2)
    out += static_cast<char>((nibble(text[i]) << 4) | nibble(text[i + 1]));
  return out;
}

bool IsWrite(std::string_view sql) {
  std::size_t i = 0;
  while (i < sql.size() && (sql[i] == ' ' || sql[i] == '\n' || sql[i] == '\t' || sql[i] == '\r'))
    ++i;
  auto starts = [&](std::string_view word) {
    if (sql.size() - i < word.size()) return false;
    for (std::size_t k = 0; k < word.size(); ++k) {
      if (std::toupper(static_cast<unsigned char>(sql[i + k])) != word[k]) return false;
    }
    return true;
  };
  return starts("INSERT") || starts("UPDATE") || starts("DELETE") || starts("WITH");
}

class PostgresDriver;

class PostgresStatement final : public Statement {
 public:
  PostgresStatement(PostgresDriver& driver, std::string name, std::string sql, int parameters);
  ~PostgresStatement() override = default;
  PostgresStatement(const PostgresStatement&) = delete;
  PostgresStatement& operator=(const PostgresStatement&) = delete;

  using Statement::Bind;
  Statement& Bind(int index, std::int64_t value) override {
    Slot(index).assign(std::to_string(value));
    return *this;
  }
  Statement& Bind(int index, std::string_view text) override {
    Slot(index).assign(text);
    return *this;
  }
  Statement& Bind(int index, double value) override {
    char buf[32];
    const int n = std::snprintf(buf, sizeof buf, "%.17g", value);
    Slot(index).assign(buf, static_cast<std::size_t>(n));
    return *this;
  }
  Statement& BindView(int index, std::string_view text) override { return Bind(index, text); }
  Statement& BindBlob(int index, std::string_view bytes) override {
    Slot(index).assign(bytes);
    formats_[static_cast<std::size_t>(index - 1)] = 1;  // binary: the bytes as they are
    return *this;
  }
  Statement& BindNull(int index) override {
    Slot(index);
    set_[static_cast<std::size_t>(index - 1)] = 0;
    return *this;
  }

  Step Next() override;
  void Reset() override {
    result_.reset();
    ran_ = false;
    refused_ = false;
    row_ = -1;
    std::fill(set_.begin(), set_.end(), 0);
    std::fill(formats_.begin(), formats_.end(), 0);
    // The next result may be allocated where this one was: a decoded value must not be
    // taken for the same row of it (re-encryption read stale ciphertexts so).
    for (Decoded& d : decoded_) d.row = -1;
  }

  bool IsNull(int col) const override { return PQgetisnull(result_.get(), row_, col) != 0; }
  std::int64_t Int(int col) const override {
    const char* v = PQgetvalue(result_.get(), row_, col);
    if (PQftype(result_.get(), col) == kBoolOid) return v[0] == 't' ? 1 : 0;
    return std::strtoll(v, nullptr, 10);
  }
  double Real(int col) const override {
    return std::strtod(PQgetvalue(result_.get(), row_, col), nullptr);
  }
  std::string_view Text(int col) const override {
    if (PQftype(result_.get(), col) == kByteaOid) return Blob(col);
    return {PQgetvalue(result_.get(), row_, col),
            static_cast<std::size_t>(PQgetlength(result_.get(), row_, col))};
  }
  std::string_view Blob(int col) const override {
    const auto c = static_cast<std::size_t>(col);
    if (decoded_.size() <= c) decoded_.resize(c + 1);
    Decoded& d = decoded_[c];
    if (d.row != row_ || d.result != result_.get()) {
      std::string_view raw(PQgetvalue(result_.get(), row_, col),
                           static_cast<std::size_t>(PQgetlength(result_.get(), row_, col)));
      d.bytes = PQftype(result_.get(), col) == kByteaOid ? DecodeBytea(raw) : std::string(raw);
      d.row = row_;
      d.result = result_.get();
    }
    return d.bytes;
  }

 protected:
  ConstraintRefused Refusal() const override {
    return {SQLITE_CONSTRAINT, "refused [" + Shorten(sql_) + "]: " + refusal_};
  }

 private:
  struct Decoded {
    const PGresult* result = nullptr;
    int row = -1;  // -1: nothing decoded since the statement was last reset
    std::string bytes;
  };

  std::string& Slot(int index);

  PostgresDriver& driver_;
  std::string name_;
  std::string sql_;
  bool write_;
  std::vector<std::string> values_;
  std::vector<char> set_;
  std::vector<int> formats_;
  Result result_;
  bool ran_ = false;
  bool refused_ = false;
  int row_ = -1;
  std::string refusal_;
  mutable std::vector<Decoded> decoded_;
};

class PostgresDriver final : public Driver {
 public:
  PostgresDriver(const std::string& url, OpenMode mode) : conn_(PQconnectdb(url.c_str())) {
    if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
      // The URL may hold a password: the message is libpq's, which does not quote it.
      std::string msg = "open postgresql: " + (conn_ ? MessageOf(nullptr, conn_) : "out of memory");
      PQfinish(conn_);
      throw StoreError(SQLITE_CANTOPEN, msg);
    }
    // Notices (a savepoint released twice, an identifier truncated) are not errors; libpq
    // would print them on stderr.
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
    Exec("SET client_min_messages = warning");
    if (mode == OpenMode::kReadOnly) Exec("SET default_transaction_read_only = on");
  }
  ~PostgresDriver() override { PQfinish(conn_); }
  PostgresDriver(const PostgresDriver&) = delete;
  PostgresDriver& operator=(const PostgresDriver&) = delete;

  Dialect dialect() const override { return Dialect::kPostgres; }

  void Exec(std::string_view sql) override {
    const std::string pg = RewriteForPostgres(sql);
    Result r(PQexec(conn_, pg.c_str()));
    if (!Succeeded(r.get()))
      throw StoreError(CodeOf(r.get(), conn_),
                       "exec [" + Shorten(pg) + "]: " + MessageOf(r.get(), conn_));
  }

  std::unique_ptr<Statement> Prepare(std::string_view sql) override {
    std::string pg = RewriteForPostgres(sql);
    std::string name = "s" + std::to_string(++statements_);
    Result r(PQprepare(conn_, name.c_str(), pg.c_str(), 0, nullptr));
    if (!Succeeded(r.get()))
      throw StoreError(CodeOf(r.get(), conn_),
                       "prepare [" + Shorten(pg) + "]: " + MessageOf(r.get(), conn_));
    Result d(PQdescribePrepared(conn_, name.c_str()));
    if (!Succeeded(d.get()))
      throw StoreError(CodeOf(d.get(), conn_),
                       "describe [" + Shorten(pg) + "]: " + MessageOf(d.get(), conn_));
    return std::make_unique<PostgresStatement>(*this, std::move(name), std::move(pg),
                                               PQnparams(d.get()));
  }

  std::int64_t LastInsertId() override { return LastSequenceValue(); }
  int Changes() const override { return changes_; }
  bool InTransaction() const override {
    // An aborted transaction is still open: the writer's ROLLBACK TO recovers it.
    const PGTransactionStatusType s = PQtransactionStatus(conn_);
    return s == PQTRANS_INTRANS || s == PQTRANS_INERROR;
  }

  PGconn* conn() { return conn_; }
  bool InOpenTransaction() const { return PQtransactionStatus(conn_) == PQTRANS_INTRANS; }

  /// A statement the driver itself runs (savepoints, lastval): no rewriting, no cache.
  void Plain(const char* sql) {
    Result r(PQexec(conn_, sql));
    if (!Succeeded(r.get()))
      throw StoreError(CodeOf(r.get(), conn_), std::string(sql) + ": " + MessageOf(r.get(), conn_));
  }

  /// What SQLite's last_insert_rowid would say: the session's last sequence value, asked for
  /// only when wanted (few callers need it). lastval() fails in a session that has drawn no
  /// value yet, which would abort an open transaction: hence the savepoint.
  std::int64_t LastSequenceValue() {
    const bool guarded = InOpenTransaction();
    if (guarded) Plain("SAVEPOINT swabline_lastval");
    Result r(PQexec(conn_, "SELECT lastval()"));
    const bool ok = PQresultStatus(r.get()) == PGRES_TUPLES_OK && PQntuples(r.get()) == 1;
    if (guarded)
      Plain(ok ? "RELEASE SAVEPOINT swabline_lastval"
               : "ROLLBACK TO SAVEPOINT swabline_lastval; RELEASE SAVEPOINT swabline_lastval");
    return ok ? std::strtoll(PQgetvalue(r.get(), 0, 0), nullptr, 10) : 0;
  }
  void NoteChanges(int n) { changes_ = n; }

 private:
  PGconn* conn_;
  int statements_ = 0;
  int changes_ = 0;
};

PostgresStatement::PostgresStatement(PostgresDriver& driver, std::string name, std::string sql,
                                     int parameters)
    : driver_(driver),
      name_(std::move(name)),
      sql_(std::move(sql)),
      write_(IsWrite(sql_)),
      values_(static_cast<std::size_t>(parameters)),
      set_(static_cast<std::size_t>(parameters), 0),
      formats_(static_cast<std::size_t>(parameters), 0) {}

std::string& PostgresStatement::Slot(int index) {
  if (index < 1 || static_cast<std::size_t>(index) > values_.size())
    throw StoreError(SQLITE_RANGE,
                     "bind [" + Shorten(sql_) + "]: no parameter " + std::to_string(index));
  const auto i = static_cast<std::size_t>(index - 1);
  set_[i] = 1;
  formats_[i] = 0;
  return values_[i];
}

Step PostgresStatement::Next() {
  if (refused_) return Step::kConstraint;
  if (!ran_) {
    ran_ = true;
    PGconn* conn = driver_.conn();
    std::vector<const char*> values(values_.size());
    std::vector<int> lengths(values_.size());
    for (std::size_t i = 0; i < values_.size(); ++i) {
      values[i] = set_[i] ? values_[i].c_str() : nullptr;
      lengths[i] = static_cast<int>(values_[i].size());
    }
    // Inside a transaction a failed write would abort it: the savepoint keeps the rest.
    const bool guarded = write_ && driver_.InOpenTransaction();
    if (guarded) driver_.Plain("SAVEPOINT swabline_statement");
    result_.reset(PQexecPrepared(conn, name_.c_str(), static_cast<int>(values.size()),
                                 values.data(), lengths.data(), formats_.data(), 0));
    if (!Succeeded(result_.get())) {
      const int code = CodeOf(result_.get(), conn);
      std::string message = MessageOf(result_.get(), conn);
      result_.reset();
      if (guarded && PQstatus(conn) == CONNECTION_OK)
        driver_.Plain(
            "ROLLBACK TO SAVEPOINT swabline_statement; RELEASE SAVEPOINT swabline_statement");
      if ((code & 0xff) == SQLITE_CONSTRAINT) {
        refused_ = true;
        refusal_ = std::move(message);
        return Step::kConstraint;
      }
      throw StoreError(code, "step [" + Shorten(sql_) + "]: " + message);
    }
    if (guarded) driver_.Plain("RELEASE SAVEPOINT swabline_statement");
    if (write_) {
      const char* n = PQcmdTuples(result_.get());
      driver_.NoteChanges(n && *n ? std::atoi(n) : 0);
    }
  }
  if (++row_ < PQntuples(result_.get())) return Step::kRow;
  return Step::kDone;
}

}  // namespace

int SqliteCodeOf(std::string_view state) {
  if (state.size() != 5) return SQLITE_ERROR;
  const std::string_view cls = state.substr(0, 2);
  if (cls == "23") return SQLITE_CONSTRAINT;
  // Serialization failure, deadlock, lock not available, too many connections: try again.
  if (state == "40001" || state == "40P01" || state == "55P03" || state == "53300")
    return SQLITE_BUSY;
  if (state == "53100") return SQLITE_FULL;
  if (state == "53200") return SQLITE_NOMEM;
  // A read-only transaction on a standby (or a read-only connection) refused a write.
  if (state == "25006") return SQLITE_READONLY;
  if (state == "XX001" || state == "XX002") return SQLITE_CORRUPT;
  // The session or the server went away: shutdown, crash, cannot connect now, I/O errors.
  if (cls == "08" || cls == "57" || cls == "58") return SQLITE_IOERR;
  return SQLITE_ERROR;
}

std::unique_ptr<Driver> OpenPostgres(const std::string& url, OpenMode mode) {
  return std::make_unique<PostgresDriver>(url, mode);
}

}  // namespace swabline::store
