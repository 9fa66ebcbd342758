#pragma once
/// JSON text of a Boost.JSON value with numbers written as people write them: Boost.JSON
/// 1.81 writes the double 5.62 as `5.62E0`, which is valid JSON but not what a reader of the
/// API (or a spreadsheet it is pasted into) expects.

#include <boost/json/value.hpp>
#include <string>

namespace swabline::http {

/// `v` as compact JSON, byte for byte as boost::json::serialize writes it except for doubles:
/// those are written in their shortest form that reads back to the same double (std::to_chars),
/// plain where that is shortest (5.62, 12, 0.001) and with an exponent otherwise (1e-07,
/// 1e+300), always valid JSON. A double that is not finite has no JSON form: it is null.
std::string JsonText(const boost::json::value& v);

}  // namespace swabline::http
