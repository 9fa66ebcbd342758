#include "service/people.hpp"

#include <charconv>

#include "core/id_number.hpp"
#include "core/personal_code.hpp"
#include "core/text.hpp"
#include "service/personal_code.hpp"

namespace swabline::service {
namespace {

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace

std::string DocumentDigestKey(core::DocumentType type, std::string_view number) {
  std::string key(core::DocumentTypeName(type));
  key += ':';
  key += number;
  return key;
}

core::Result<PersonLookup> LookUpPerson(store::Connection& db, const Env& env,
                                        std::string_view text, PersonDetail detail) {
  const bool brief = detail == PersonDetail::kBrief;
  auto by_id = [&](std::int64_t id) {
    return brief ? store::FindResidentBrief(db, id) : store::FindResident(db, id);
  };
  auto by_hash = [&](std::string_view hash) {
    return brief ? store::FindResidentBriefByDocHash(db, hash)
                 : store::FindResidentByDocHash(db, hash);
  };
  text = core::TrimBlanks(text);
  PersonLookup out;
  if (core::LooksLikePersonalCode(text)) {
    std::int64_t id = 0;
    SWB_TRY_ASSIGN(id, ResolvePersonalCode(db, env, text));
    out.resident = by_id(id);
    if (!out.resident)
      return core::Fail(core::ErrorCode::kInvalidPersonalCode, "this code names nobody registered");
    return out;
  }
  const core::CivilDate today = core::DateOf(env.clock.Now());
  if (core::LooksLikeIdNumber(text)) {
    SWB_TRY_ASSIGN(out.document, core::NormalizeIdNumber(text, today));
    out.doc_type = core::DocumentType::kResidentId;
    out.resident =
        by_hash(env.vault.Digest(DocumentDigestKey(core::DocumentType::kResidentId, out.document)));
    return out;
  }
  if (AllDigits(text) && text.size() < 15) {
    // Short digits are a resident id and nothing else: never a document to register a
    // walk-in under (a mistyped id must not make a new person).
    std::int64_t id = 0;
    std::from_chars(text.data(), text.data() + text.size(), id);
    out.resident = by_id(id);
    return out;
  }
  for (auto type : {core::DocumentType::kPassport, core::DocumentType::kHkMacaoPermit,
                    core::DocumentType::kTaiwanPermit}) {
    auto number = core::NormalizeDocument(type, text, today);
    if (!number) continue;
    if (auto row = by_hash(env.vault.Digest(DocumentDigestKey(type, *number)))) {
      out.resident = std::move(row);
      out.doc_type = type;
      out.document = *number;
      return out;
    }
    if (!out.doc_type) {
      out.doc_type = type;
      out.document = *number;
    }
  }
  if (out.doc_type) return out;
  return core::Fail(
      core::ErrorCode::kInvalidPersonalCode,
      "'" + std::string(text.substr(0, 40)) +
          "' is not an ID number, a personal code, a document number or a resident id");
}

}  // namespace swabline::service
