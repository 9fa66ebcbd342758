#include "store/connection.hpp"

#include <sqlite3.h>

#include "store/postgres_driver.hpp"
#include "store/sqlite_driver.hpp"

namespace swabline::store {

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

namespace {

/// Steps `q` until it is done or refused, and says which.
Step StepPastRows(Statement& q) {
  Step s;
  while ((s = q.Next()) == Step::kRow) {
  }
  return s;
}

}  // namespace

bool Statement::Run() {
  const Step s = StepPastRows(*this);
  Reset();
  return s == Step::kDone;
}

void Statement::RunOrThrow() {
  if (StepPastRows(*this) == Step::kDone) return Reset();
  ConstraintRefused refusal = Refusal();
  Reset();
  throw refusal;
}

std::optional<std::int64_t> Statement::OptInt(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Int(col);
}

std::optional<std::string> Statement::OptStr(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Str(col);
}

bool IsPostgresUrl(std::string_view name) {
  return name.starts_with("postgresql://") || name.starts_with("postgres://");
}

Connection::Connection(const std::string& name, OpenMode mode)
    : driver_(IsPostgresUrl(name) ? OpenPostgres(name, mode) : OpenSqlite(name, mode)),
      dialect_(driver_->dialect()) {}

Connection::~Connection() {
  by_address_.clear();
  cache_.clear();
}

StatementUse Connection::Query(std::string_view sql) {
  // A dynamic string may reuse an address with other SQL, so the text confirms the hit.
  if (auto hit = by_address_.find(sql.data()); hit != by_address_.end() && hit->second.sql == sql)
    return StatementUse(*hit->second.statement);
  auto it = cache_.find(sql);
  if (it == cache_.end()) it = cache_.emplace(std::string(sql), driver_->Prepare(sql)).first;
  // SQL built at run time lands at ever new addresses; forget them now and then, so that the
  // side table stays about as small as the cache itself.
  if (by_address_.size() > 2 * cache_.size() + 64) by_address_.clear();
  by_address_[sql.data()] = Cached{it->first, it->second.get()};
  return StatementUse(*it->second);
}

}  // namespace swabline::store
