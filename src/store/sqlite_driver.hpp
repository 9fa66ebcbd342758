#pragma once
/// The embedded default: SQLite, one file, WAL, FULL synchronous (docs/architecture.md).

#include <memory>
#include <string>

#include "store/connection.hpp"

namespace swabline::store {

/// Opens `path` (a file name or a `file:` URI, which lets tests choose a fault-injecting VFS).
std::unique_ptr<Driver> OpenSqlite(const std::string& path, OpenMode mode);

}  // namespace swabline::store
