// The zip and XML plumbing of the .xlsx reader (xlsx_zip.hpp).

#include "service/xlsx_zip.hpp"

#include <algorithm>
#include <new>
#include <utility>

namespace swabline::service::xlsx {
namespace {

constexpr std::size_t kChunk = 1 << 16;

}  // namespace

core::Error NotXlsx(const std::string& why) {
  return core::Fail(core::ErrorCode::kInvalidRequest,
                    "the file is not a readable .xlsx workbook: " + why);
}

std::string_view LocalName(const XML_Char* name) {
  std::string_view n(name);
  const std::size_t colon = n.rfind(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

std::string_view Attribute(const XML_Char** attrs, std::string_view local) {
  for (std::size_t i = 0; attrs[i] != nullptr; i += 2)
    if (LocalName(attrs[i]) == local) return attrs[i + 1];
  return {};
}

Parser NewParser(XmlHandler& handler) {
  Parser p(XML_ParserCreate(nullptr));
  if (!p) throw std::bad_alloc();
  XML_SetUserData(p.get(), &handler);
  XML_SetElementHandler(
      p.get(),
      [](void* h, const XML_Char* name, const XML_Char** attrs) {
        static_cast<XmlHandler*>(h)->Start(LocalName(name), attrs);
      },
      [](void* h, const XML_Char* name) { static_cast<XmlHandler*>(h)->End(LocalName(name)); });
  XML_SetCharacterDataHandler(p.get(), [](void* h, const XML_Char* s, int len) {
    static_cast<XmlHandler*>(h)->Text(std::string_view(s, static_cast<std::size_t>(len)));
  });
  return p;
}

std::string XmlError(XML_Parser p, std::string_view entry) {
  return std::string(entry) + " line " + std::to_string(XML_GetCurrentLineNumber(p)) + ": " +
         XML_ErrorString(XML_GetErrorCode(p));
}

ZipEntry::ZipEntry(zip_t* zip, std::string name, std::uint64_t limit)
    : name_(std::move(name)), limit_(limit) {
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat(zip, name_.c_str(), 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE)) size_ = st.size;
  file_.reset(zip_fopen(zip, name_.c_str(), 0));
}

core::Result<std::size_t> ZipEntry::Read(std::vector<char>& buffer) {
  buffer.resize(kChunk);
  const zip_int64_t n = zip_fread(file_.get(), buffer.data(), buffer.size());
  if (n < 0) return NotXlsx(name_ + " is damaged (" + zip_file_strerror(file_.get()) + ")");
  read_ += static_cast<std::uint64_t>(n);
  if (read_ > limit_) return NotXlsx(name_ + " unpacks to more than this server reads");
  return static_cast<std::size_t>(n);
}

double ZipEntry::progress() const {
  return size_ == 0 ? 0.0 : std::min(1.0, static_cast<double>(read_) / static_cast<double>(size_));
}

core::Status ParseEntry(zip_t* zip, const std::string& name, XmlHandler& handler,
                        std::uint64_t limit, bool optional) {
  ZipEntry entry(zip, name, limit);
  if (!entry.found()) {
    if (optional) return core::Ok{};
    return NotXlsx("it has no " + name);
  }
  Parser parser = NewParser(handler);
  std::vector<char> buffer;
  for (;;) {
    std::size_t n = 0;
    SWB_TRY_ASSIGN(n, entry.Read(buffer));
    if (XML_Parse(parser.get(), buffer.data(), static_cast<int>(n), n == 0) != XML_STATUS_OK)
      return NotXlsx(XmlError(parser.get(), name));
    if (n == 0) return core::Ok{};
  }
}

core::Result<Zip> OpenZip(std::string_view bytes) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (source == nullptr) throw std::bad_alloc();
  zip_t* zip = zip_open_from_source(source, ZIP_RDONLY, &error);
  if (zip == nullptr) {
    zip_source_free(source);
    std::string why = zip_error_strerror(&error);
    zip_error_fini(&error);
    return NotXlsx("not a zip archive (" + why + ")");
  }
  zip_error_fini(&error);
  return Zip(zip);
}

}  // namespace swabline::service::xlsx
