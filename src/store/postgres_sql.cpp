#include "store/postgres_sql.hpp"

#include <cctype>
#include <optional>

namespace swabline::store {
namespace {

bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

bool SameWord(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(a[i])) !=
        std::toupper(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

/// Walks the SQL a token at a time, copying what it does not rewrite.
class Rewriter {
 public:
  explicit Rewriter(std::string_view in) : in_(in) { out_.reserve(in.size() + 32); }

  std::string Run() {
    while (pos_ < in_.size()) {
      const char c = in_[pos_];
      if (c == '\'' || c == '"') {
        CopyQuoted(c);
      } else if (c == '-' && Peek(1) == '-') {
        CopyUntil("\n");
      } else if (c == '/' && Peek(1) == '*') {
        CopyUntil("*/");
      } else if (c == '?') {
        Parameter();
      } else if (c == ';') {
        EndStatement();
        out_ += c;
        ++pos_;
      } else if (IsWordChar(c) && (pos_ == 0 || !IsWordChar(in_[pos_ - 1]))) {
        Word();
      } else {
        out_ += c;
        ++pos_;
      }
    }
    EndStatement();
    return std::move(out_);
  }

 private:
  char Peek(std::size_t ahead) const {
    return pos_ + ahead < in_.size() ? in_[pos_ + ahead] : '\0';
  }

  void CopyQuoted(char quote) {
    out_ += in_[pos_++];
    while (pos_ < in_.size()) {
      const char c = in_[pos_++];
      out_ += c;
      if (c == quote) {
        if (pos_ < in_.size() && in_[pos_] == quote) {  // a doubled quote stays inside
          out_ += in_[pos_++];
          continue;
        }
        return;
      }
    }
  }

  void CopyUntil(std::string_view end) {
    const std::size_t stop = in_.find(end, pos_ + 2);
    const std::size_t next = stop == std::string_view::npos ? in_.size() : stop + end.size();
    out_.append(in_.substr(pos_, next - pos_));
    pos_ = next;
  }

  void Parameter() {
    ++pos_;
    std::size_t digits = 0;
    while (pos_ + digits < in_.size() &&
           std::isdigit(static_cast<unsigned char>(in_[pos_ + digits])))
      ++digits;
    out_ += '$';
    if (digits > 0) {
      out_.append(in_.substr(pos_, digits));
      pos_ += digits;
    } else {
      out_ += std::to_string(++parameters_);
    }
  }

  std::string_view ReadWord() {
    const std::size_t start = pos_;
    while (pos_ < in_.size() && IsWordChar(in_[pos_])) ++pos_;
    return in_.substr(start, pos_ - start);
  }

  /// The next word after blanks, without consuming anything.
  std::string_view NextWord(std::size_t from) const {
    while (from < in_.size() && std::isspace(static_cast<unsigned char>(in_[from]))) ++from;
    std::size_t end = from;
    while (end < in_.size() && IsWordChar(in_[end])) ++end;
    return in_.substr(from, end - from);
  }

  /// Consumes blanks and the next word, which the caller has seen with NextWord.
  void SkipWord() {
    while (pos_ < in_.size() && std::isspace(static_cast<unsigned char>(in_[pos_]))) ++pos_;
    while (pos_ < in_.size() && IsWordChar(in_[pos_])) ++pos_;
  }

  void Word() {
    const std::string_view w = ReadWord();
    if (SameWord(w, "INSERT")) {
      const std::string_view first = NextWord(pos_);
      const std::size_t after_first =
          static_cast<std::size_t>(first.data() - in_.data()) + first.size();
      if (SameWord(first, "OR") && SameWord(NextWord(after_first), "IGNORE")) {
        SkipWord();  // OR
        SkipWord();  // IGNORE
        out_ += w;
        on_conflict_nothing_ = true;
        return;
      }
    }
    if (SameWord(w, "BEGIN")) {
      const std::string_view mode = NextWord(pos_);
      out_ += w;
      if (SameWord(mode, "IMMEDIATE") || SameWord(mode, "DEFERRED") || SameWord(mode, "EXCLUSIVE"))
        SkipWord();
      return;
    }
    if (SameWord(w, "INDEXED") && SameWord(NextWord(pos_), "BY")) {
      SkipWord();  // BY
      SkipWord();  // the index: SQLite's planner hint, PostgreSQL plans for itself
      return;
    }
    if (SameWord(w, "NOT") && SameWord(NextWord(pos_), "INDEXED")) {
      SkipWord();
      return;
    }
    if (SameWord(w, "CROSS") && SameWord(NextWord(pos_), "JOIN")) {
      return;  // SQLite's join-order hint, always with ON in the store: an inner JOIN
    }
    if ((SameWord(w, "MAX") || SameWord(w, "MIN")) && HasSeveralArguments()) {
      out_ += SameWord(w, "MAX") ? "GREATEST" : "LEAST";  // SQLite's scalar max and min
      return;
    }
    if (SameWord(w, "group_concat")) {  // always given its separator in the store's SQL
      out_ += "string_agg";
      return;
    }
    if (SameWord(w, "IFNULL")) {
      out_ += "COALESCE";
      return;
    }
    if (SameWord(w, "INTEGER") && SameWord(last_word_, "AS")) {
      out_ += "BIGINT";
      last_word_ = "BIGINT";
      return;
    }
    if (SameWord(w, "IS")) {
      // SQLite's IS compares any two values, NULL-safe; PostgreSQL's takes only NULL, TRUE,
      // FALSE or DISTINCT FROM after it.
      const bool negated = SameWord(NextWord(pos_), "NOT");
      std::size_t after = pos_;
      if (negated) {
        const std::string_view n = NextWord(pos_);
        after = static_cast<std::size_t>(n.data() - in_.data()) + n.size();
      }
      while (after < in_.size() && std::isspace(static_cast<unsigned char>(in_[after]))) ++after;
      const std::string_view operand = NextWord(after);
      const bool keyword = SameWord(operand, "NULL") || SameWord(operand, "TRUE") ||
                           SameWord(operand, "FALSE") || SameWord(operand, "DISTINCT") ||
                           SameWord(operand, "UNKNOWN");
      if (after < in_.size() && !keyword) {
        if (negated) SkipWord();
        out_ += negated ? "IS DISTINCT FROM" : "IS NOT DISTINCT FROM";
        last_word_ = w;
        return;
      }
    }
    if (SameWord(w, "RETURNING") && !returning_at_) returning_at_ = out_.size();
    out_ += w;
    last_word_ = w;
  }

  /// Whether the call that starts at pos_ (after blanks) has a comma at its own level.
  bool HasSeveralArguments() const {
    std::size_t i = pos_;
    while (i < in_.size() && std::isspace(static_cast<unsigned char>(in_[i]))) ++i;
    if (i >= in_.size() || in_[i] != '(') return false;
    int depth = 0;
    for (; i < in_.size(); ++i) {
      const char c = in_[i];
      if (c == '\'') {
        const std::size_t close = in_.find('\'', i + 1);
        if (close == std::string_view::npos) return false;
        i = close;
      } else if (c == '(') {
        ++depth;
      } else if (c == ')') {
        if (--depth == 0) return false;
      } else if (c == ',' && depth == 1) {
        return true;
      }
    }
    return false;
  }

  void EndStatement() {
    if (on_conflict_nothing_) {
      // Before a RETURNING clause, and after the VALUES or SELECT, whitespace trimmed.
      std::size_t at = returning_at_ ? *returning_at_ : out_.size();
      while (at > statement_start_ && std::isspace(static_cast<unsigned char>(out_[at - 1]))) --at;
      out_.insert(at, " ON CONFLICT DO NOTHING");
    }
    on_conflict_nothing_ = false;
    returning_at_.reset();
    statement_start_ = out_.size() + 1;
    last_word_ = {};
  }

  std::string_view in_;
  std::string out_;
  std::size_t pos_ = 0;
  int parameters_ = 0;
  bool on_conflict_nothing_ = false;
  std::optional<std::size_t> returning_at_;
  std::size_t statement_start_ = 0;
  std::string_view last_word_;
};

}  // namespace

std::string RewriteForPostgres(std::string_view sql) { return Rewriter(sql).Run(); }

}  // namespace swabline::store
