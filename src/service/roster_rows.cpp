#include "service/roster_rows.hpp"

#include "core/csv.hpp"
#include "core/text_encoding.hpp"

namespace swabline::service {
namespace {

class CsvRows : public RosterRows {
 public:
  CsvRows(std::string_view bytes, core::DecodedText decoded)
      : decoded_(std::move(decoded)), text_(decoded_.Text(bytes)), reader_(text_) {}

  bool Next(std::vector<std::string>& fields) override { return reader_.Next(fields); }
  std::size_t line() const override { return reader_.line(); }
  double progress() const override {
    return text_.empty()
               ? 1.0
               : static_cast<double>(reader_.offset()) / static_cast<double>(text_.size());
  }
  std::string_view encoding() const override { return core::TextEncodingName(decoded_.encoding); }

 private:
  core::DecodedText decoded_;
  std::string_view text_;  // into the bytes given, or decoded_.converted
  core::CsvReader reader_;
};

}  // namespace

core::Result<std::unique_ptr<RosterRows>> OpenCsvRows(std::string_view bytes) {
  if (bytes.starts_with(kZipMagic))
    return core::Fail(
        core::ErrorCode::kUnsupportedMediaType,
        "this is an .xlsx workbook, not CSV text: send it as " + std::string(kXlsxMediaType));
  auto decoded = core::DecodeText(bytes);
  if (!decoded) return decoded.take_error();
  return std::unique_ptr<RosterRows>(std::make_unique<CsvRows>(bytes, std::move(*decoded)));
}

}  // namespace swabline::service
