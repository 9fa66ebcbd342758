#include "store/outbox.hpp"

#include "store/bulk_insert.hpp"

namespace swabline::store {

void AppendOutbox(Tx& tx, const OutboxRow& row) {
  auto q = tx.Query(
      "INSERT INTO outbox(event, recipient_kind, recipient, payload, created_at) "
      "VALUES (?, ?, ?, ?, ?)");
  q->Bind(1, row.event).Bind(2, row.recipient_kind).Bind(3, row.recipient);
  q->Bind(4, row.payload).Bind(5, row.created_at);
  q->RunOrThrow();
}

void AppendOutboxRows(Tx& tx, std::span<const OutboxRow> rows) {
  static const MultiRowInsert kInsert(
      "INSERT INTO outbox(event, recipient_kind, recipient, payload, created_at) VALUES ",
      "(?, ?, ?, ?, ?)", 5);
  kInsert.Run(tx, rows.size(), [&](Statement& q, int at, std::size_t i) {
    const OutboxRow& row = rows[i];
    q.BindView(at, row.event).BindView(at + 1, row.recipient_kind).BindView(at + 2, row.recipient);
    q.BindView(at + 3, row.payload).Bind(at + 4, row.created_at);
  });
}

std::vector<OutboxRow> OutboxRows(Connection& db) {
  std::vector<OutboxRow> out;
  auto q = db.Query(
      "SELECT event, recipient_kind, recipient, payload, created_at FROM outbox ORDER BY id");
  while (q->Next() == Step::kRow)
    out.push_back({q->Str(0), q->Str(1), q->Str(2), q->Str(3), q->Int(4)});
  return out;
}

}  // namespace swabline::store
