#pragma once
/// Opens a database the way every process of `swabline` needs it (the subcommands, and the
/// benchmark's city): migrated, with its key file, a group-commit writer and a reader pool.

#include <memory>
#include <string>

#include "service/clock.hpp"
#include "service/code_verifier.hpp"
#include "service/env.hpp"
#include "store/reader_pool.hpp"
#include "store/vault.hpp"
#include "store/writer.hpp"

namespace swabline::service {

struct DbOptions {
  std::string db_path = "swabline.db";
  std::string key_path;  // default: <db_path>.key
  unsigned readers = 4;
};

class Runtime {
 public:
  explicit Runtime(const DbOptions& options);
  ~Runtime();

  Env env() const { return Env{vault_, clock_, codes_.get(), utc_offset_minutes_}; }
  /// The same keys with another clock (the demo backdates what it seeds).
  Env env_with(const core::Clock& clock) const {
    return Env{vault_, clock, nullptr, utc_offset_minutes_};
  }
  /// The local time sites' hours are in (`serve --tz`); set before env() is handed out.
  void set_utc_offset_minutes(int minutes) { utc_offset_minutes_ = minutes; }
  store::Writer& writer() { return *writer_; }
  store::ReaderPool& readers() { return *readers_; }
  int schema_version() const { return schema_version_; }
  /// The clock env() reads: the system clock until someone sets it (serve --settable-clock).
  SettableClock& clock() { return clock_; }

 private:
  store::Vault vault_;
  SettableClock clock_;
  std::unique_ptr<CodeVerifier> codes_;
  int schema_version_ = 0;
  int utc_offset_minutes_ = 480;
  std::unique_ptr<store::Writer> writer_;
  std::unique_ptr<store::ReaderPool> readers_;
};

}  // namespace swabline::service
