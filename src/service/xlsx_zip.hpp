#pragma once
// The plumbing of the .xlsx reader (xlsx_rows.cpp): a workbook's zip entries read a chunk at a
// time (libzip, in memory) and parsed by expat into an XmlHandler's callbacks. What the entries
// mean is xlsx_rows.cpp's business; this file knows only zip and XML. Internal to the service
// layer.

#include <expat.h>
#include <zip.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace swabline::service::xlsx {

/// kInvalidRequest: "the file is not a readable .xlsx workbook: <why>".
core::Error NotXlsx(const std::string& why);

/// An element's or attribute's name without its namespace prefix.
std::string_view LocalName(const XML_Char* name);

/// The value of the attribute whose local name is `local` (any prefix), or "".
std::string_view Attribute(const XML_Char** attrs, std::string_view local);

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};
struct ZipFileCloser {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};
struct ParserFree {
  void operator()(XML_ParserStruct* p) const { XML_ParserFree(p); }
};
using Zip = std::unique_ptr<zip_t, ZipCloser>;
using Parser = std::unique_ptr<XML_ParserStruct, ParserFree>;

/// Element and text callbacks of one parse; expat calls them through these trampolines.
struct XmlHandler {
  virtual ~XmlHandler() = default;
  virtual void Start(std::string_view name, const XML_Char** attrs) = 0;
  virtual void End(std::string_view name) = 0;
  virtual void Text(std::string_view text) = 0;
};

/// A parser that calls `handler`, which must outlive it.
Parser NewParser(XmlHandler& handler);

/// "<entry> line N: <expat's message>".
std::string XmlError(XML_Parser p, std::string_view entry);

/// An entry of the zip, read a chunk at a time. The zip must outlive it.
class ZipEntry {
 public:
  ZipEntry(zip_t* zip, std::string name, std::uint64_t limit);
  bool found() const { return file_ != nullptr; }
  const std::string& name() const { return name_; }

  /// Reads the next chunk into `buffer`; an empty chunk is the end. Fails on a damaged entry or
  /// one that unpacks to more than `limit` bytes.
  core::Result<std::size_t> Read(std::vector<char>& buffer);
  /// How much of the entry has been read, 0 to 1 (0 when its size is unknown).
  double progress() const;

 private:
  std::string name_;
  std::uint64_t limit_;
  std::uint64_t size_ = 0;
  std::uint64_t read_ = 0;
  std::unique_ptr<zip_file_t, ZipFileCloser> file_;
};

/// Parses a whole entry of at most `limit` bytes unpacked. Fails when it is missing (unless
/// `optional`), damaged, too big or not XML.
core::Status ParseEntry(zip_t* zip, const std::string& name, XmlHandler& handler,
                        std::uint64_t limit, bool optional = false);

/// Opens a zip archive held in `bytes`, which must outlive it. Fails when it is not one.
core::Result<Zip> OpenZip(std::string_view bytes);

}  // namespace swabline::service::xlsx
