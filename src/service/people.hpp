#pragma once
/// Naming a person (docs/openapi.yaml): an 18-character ID number, a personal code, a resident id,
/// or another document's number. One lookup, used wherever a person is scanned or asked about.

#include <optional>
#include <string>
#include <string_view>

#include "core/document.hpp"
#include "core/result.hpp"
#include "service/env.hpp"
#include "store/residents.hpp"

namespace swabline::service {

/// The text a document's keyed digest is taken over: "resident_id:110105…".
std::string DocumentDigestKey(core::DocumentType type, std::string_view number);

struct PersonLookup {
  std::optional<store::ResidentRow> resident;  // empty: well-formed but not registered
  std::optional<core::DocumentType> doc_type;  // set when named by a document number
  std::string document;                        // that number, canonical
};

/// How much of the resident a look-up loads: kBrief fills only what store::FindResidentBrief
/// does (enough to name them in an answer), for the scan path.
enum class PersonDetail { kFull, kBrief };

/// Fails with kInvalidIdNumber (looks like an ID number but is not valid) or
/// kInvalidPersonalCode (a bad or revoked code, or text that names nobody in any form).
core::Result<PersonLookup> LookUpPerson(store::Connection& db, const Env& env,
                                        std::string_view text,
                                        PersonDetail detail = PersonDetail::kFull);

}  // namespace swabline::service
