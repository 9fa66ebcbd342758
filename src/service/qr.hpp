#pragma once
/// QR codes drawn as SVG (libqrencode): error-correction level M, byte mode, a quiet zone of
/// four modules. All dark modules form one <path>, so a symbol stays a few kilobytes. Pure
/// functions of their input; thread-safe.

#include <string>
#include <string_view>

namespace swabline::service {

/// A QR symbol in module units, the quiet zone included.
struct QrSymbol {
  int size = 0;      // modules per side, quiet zone included
  std::string path;  // SVG path data covering every dark module
};

/// Encodes `text` into a symbol of the smallest version that holds it.
/// REQUIRES: `text` holds no NUL and fits a QR code (2,331 bytes at level M); throws
/// std::invalid_argument otherwise.
QrSymbol EncodeQr(std::string_view text);

/// A standalone SVG image of `text`'s QR code, `module_px` pixels per module.
std::string QrSvg(std::string_view text, int module_px = 4);

}  // namespace swabline::service
