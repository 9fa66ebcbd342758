#include "service/qr.hpp"

#include <qrencode.h>

#include <memory>
#include <stdexcept>

namespace swabline::service {
namespace {

constexpr int kQuietModules = 4;

struct QrcodeFree {
  void operator()(QRcode* code) const { QRcode_free(code); }
};

}  // namespace

QrSymbol EncodeQr(std::string_view text) {
  if (text.find('\0') != std::string_view::npos)
    throw std::invalid_argument("QR text holds a NUL byte");
  const std::string c_text(text);
  std::unique_ptr<QRcode, QrcodeFree> code(
      QRcode_encodeString(c_text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1));
  if (!code) throw std::invalid_argument("text too long for a QR code");

  const int width = code->width;
  QrSymbol symbol;
  symbol.size = width + 2 * kQuietModules;
  // One subpath per horizontal run of dark modules: about a third of the size of one
  // square per module.
  for (int y = 0; y < width; ++y) {
    const unsigned char* row = code->data + static_cast<std::ptrdiff_t>(y) * width;
    for (int x = 0; x < width;) {
      if ((row[x] & 1) == 0) {
        ++x;
        continue;
      }
      int run = 1;
      while (x + run < width && (row[x + run] & 1) != 0) ++run;
      symbol.path += 'M' + std::to_string(x + kQuietModules) + ' ' +
                     std::to_string(y + kQuietModules) + 'h' + std::to_string(run) + "v1h-" +
                     std::to_string(run) + 'z';
      x += run;
    }
  }
  return symbol;
}

std::string QrSvg(std::string_view text, int module_px) {
  const QrSymbol symbol = EncodeQr(text);
  const std::string size = std::to_string(symbol.size);
  const std::string px = std::to_string(symbol.size * module_px);
  return "<svg xmlns='http://www.w3.org/2000/svg' width='" + px + "' height='" + px +
         "' viewBox='0 0 " + size + ' ' + size + "' shape-rendering='crispEdges'><rect width='" +
         size + "' height='" + size + "' fill='#fff'/><path d='" + symbol.path +
         "' fill='#000'/></svg>\n";
}

}  // namespace swabline::service
