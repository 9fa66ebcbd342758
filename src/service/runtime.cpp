#include "service/runtime.hpp"

#include "store/connection.hpp"
#include "store/migrations.hpp"

namespace swabline::service {

Runtime::Runtime(const DbOptions& o)
    : vault_(store::Vault::LoadOrCreate(o.key_path.empty() ? o.db_path + ".key" : o.key_path)),
      codes_(std::make_unique<CodeVerifier>(vault_)) {
  {
    store::Connection db(o.db_path, store::OpenMode::kReadWrite);
    schema_version_ = store::Migrate(db);
  }
  writer_ = std::make_unique<store::Writer>(o.db_path);
  readers_ = std::make_unique<store::ReaderPool>(o.db_path, o.readers);
}

Runtime::~Runtime() {
  readers_->Stop();
  writer_->Stop();
}

}  // namespace swabline::service
