#include "service/code_sheet.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <string_view>
#include <vector>

#include "core/natural_order.hpp"
#include "core/place.hpp"
#include "service/personal_code.hpp"
#include "service/place_scope.hpp"
#include "service/qr.hpp"
#include "store/places.hpp"
#include "store/residents.hpp"

namespace swabline::service {
namespace {

using core::ErrorCode;

// A4 in millimetres. The cards fill the page below the header, with the cut lines dashed.
constexpr double kPageWidth = 210;
constexpr double kPageHeight = 297;
constexpr double kMargin = 10;
constexpr double kGridTop = 26;
constexpr double kGridBottom = kPageHeight - 12;
constexpr double kCardWidth = (kPageWidth - 2 * kMargin) / kCodeSheetColumns;
constexpr double kCardHeight = (kGridBottom - kGridTop) / kCodeSheetRows;
constexpr double kQrSide = 40;  // ~0.8 mm a module for a 98-character code: phone-scannable
constexpr std::size_t kMaxNameChars = 16;
constexpr std::size_t kMaxLineChars = 28;
constexpr std::size_t kCommunityDepth = 3;  // district/street/community

constexpr std::string_view kFont =
    "Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif";

/// "12.5" — millimetres with at most two decimals.
std::string Mm(double value) {
  std::array<char, 32> buf{};
  auto [end, ec] =
      std::to_chars(buf.data(), buf.data() + buf.size(), value, std::chars_format::fixed, 2);
  std::string_view s(buf.data(), static_cast<std::size_t>(end - buf.data()));
  while (s.back() == '0') s.remove_suffix(1);
  if (s.back() == '.') s.remove_suffix(1);
  return std::string(s);
}

std::string EscapeXml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

/// At most `max_chars` UTF-8 characters, ending in "…" when cut; the ends of addresses matter
/// most, so `keep_end` cuts from the front instead.
std::string Shorten(std::string_view text, std::size_t max_chars, bool keep_end) {
  std::vector<std::size_t> starts;  // byte offset of every character
  for (std::size_t i = 0; i < text.size(); ++i)
    if ((static_cast<unsigned char>(text[i]) & 0xc0) != 0x80) starts.push_back(i);
  if (starts.size() <= max_chars) return std::string(text);
  if (keep_end) return "…" + std::string(text.substr(starts[starts.size() - max_chars + 1]));
  return std::string(text.substr(0, starts[max_chars - 1])) + "…";
}

/// The address as a card shows it: below the community ("3号楼 2单元 1201"), or the place's
/// own name for a resident registered at the community itself.
std::string CardAddress(std::string_view place_path) {
  std::vector<std::string_view> names;
  while (!place_path.empty()) {
    const std::size_t slash = place_path.find('/');
    names.push_back(place_path.substr(0, slash));
    place_path.remove_prefix(slash == std::string_view::npos ? place_path.size() : slash + 1);
  }
  if (names.empty()) return "";
  std::string out;
  for (std::size_t i = std::min(kCommunityDepth, names.size() - 1); i < names.size(); ++i) {
    if (!out.empty()) out += ' ';
    out += names[i];
  }
  return out;
}

std::string Text(double x, double y, double size, std::string_view extra, std::string_view text) {
  return "<text x='" + Mm(x) + "' y='" + Mm(y) + "' font-size='" + Mm(size) + "'" +
         std::string(extra) + ">" + EscapeXml(text) + "</text>";
}

std::string Card(const Env& env, const store::ResidentRow& r, double x, double y) {
  const double cx = x + kCardWidth / 2;
  const QrSymbol qr = EncodeQr(SignPersonalCode(env, {r.id, r.code_version}));
  std::string out = "<g>";
  out += "<rect x='" + Mm(x + 1) + "' y='" + Mm(y + 1) + "' width='" + Mm(kCardWidth - 2) +
         "' height='" + Mm(kCardHeight - 2) +
         "' rx='2' fill='none' stroke='#999' stroke-width='0.2' "
         "stroke-dasharray='1.5 1.5'/>";
  const std::string side = std::to_string(qr.size);
  out += "<svg x='" + Mm(cx - kQrSide / 2) + "' y='" + Mm(y + 3) + "' width='" + Mm(kQrSide) +
         "' height='" + Mm(kQrSide) + "' viewBox='0 0 " + side + ' ' + side +
         "' shape-rendering='crispEdges'><path d='" + qr.path + "'/></svg>";
  const double text_top = y + 3 + kQrSide;
  out +=
      Text(cx, text_top + 6.5, 4.6, " font-weight='bold'", Shorten(r.name, kMaxNameChars, false));
  out += Text(cx, text_top + 11.5, 3.4, " font-family='monospace'",
              Shorten(r.doc_masked, kMaxLineChars, false));
  out += Text(cx, text_top + 16.5, 3.2, " fill='#333'",
              Shorten(CardAddress(r.place_path), kMaxLineChars, true));
  return out + "</g>";
}

std::string Sheet(const Env& env, const core::Place& place,
                  const std::vector<store::ResidentRow>& residents, int page, int page_count) {
  std::string out =
      "<svg xmlns='http://www.w3.org/2000/svg' width='210mm' height='297mm' "
      "viewBox='0 0 210 297' font-family='" +
      std::string(kFont) + "'>";
  out += "<rect width='210' height='297' fill='#fff'/>";
  out += Text(kMargin, 15, 4.6, " font-weight='bold'", Shorten(place.path, 40, true));
  const std::string pages = std::to_string(page) + " / " + std::to_string(page_count);
  out += Text(kPageWidth - kMargin, 15, 3.6, " text-anchor='end'",
              "page " + std::to_string(page) + " of " + std::to_string(page_count) + " · 第 " +
                  pages + " 页");
  out += Text(kMargin, 21, 3, " fill='#555'",
              "个人码 Personal codes · " + std::to_string(residents.size()) +
                  " residents · show at the sampling point; a reissued code replaces this one");
  out += "<g text-anchor='middle'>";
  const std::size_t first = static_cast<std::size_t>(page - 1) * kCodesPerSheet;
  const std::size_t last = std::min(residents.size(), first + kCodesPerSheet);
  for (std::size_t i = first; i < last; ++i) {
    const auto slot = static_cast<int>(i - first);
    const int column = slot % kCodeSheetColumns;
    const int row = slot / kCodeSheetColumns;
    out += Card(env, residents[i], kMargin + column * kCardWidth, kGridTop + row * kCardHeight);
  }
  out += "</g>";
  out += Text(kPageWidth / 2, kPageHeight - 5, 2.8, " text-anchor='middle' fill='#777'",
              "沿虚线剪开 · cut along the dashed lines");
  return out + "</svg>\n";
}

}  // namespace

core::Result<CodeSheetPage> CodeSheetSvg(store::Connection& db, const Env& env, const Actor& actor,
                                         std::int64_t place_id, int page) {
  SWB_TRY(Require(actor, core::Permission::kReadResidents));
  auto place = ScopedPlace(db, actor, place_id);
  if (!place) return place.take_error();
  if (place->kind == core::PlaceKind::kDistrict || place->kind == core::PlaceKind::kStreet)
    return core::Fail(ErrorCode::kInvalidField,
                      "code sheets are printed per community, building, unit or room; '" +
                          place->path + "' is a " + std::string(core::PlaceKindName(place->kind)));
  if (page < 1) return core::Fail(ErrorCode::kInvalidField, "page counts from 1");

  std::vector<store::ResidentRow> residents = store::ListResidentsByAddress(db, place->id_path);
  std::stable_sort(residents.begin(), residents.end(),
                   [](const store::ResidentRow& a, const store::ResidentRow& b) {
                     if (a.place_path != b.place_path)
                       return core::NaturalLess(a.place_path, b.place_path);
                     return core::NaturalLess(a.name, b.name);
                   });
  CodeSheetPage out;
  out.residents = static_cast<std::int64_t>(residents.size());
  out.page = page;
  out.page_count =
      std::max<int>(1, static_cast<int>((residents.size() + kCodesPerSheet - 1) / kCodesPerSheet));
  if (page > out.page_count)
    return core::Fail(ErrorCode::kInvalidField, "page " + std::to_string(page) +
                                                    " is past the last page, " +
                                                    std::to_string(out.page_count));
  out.svg = Sheet(env, *place, residents, page, out.page_count);
  return out;
}

}  // namespace swabline::service
