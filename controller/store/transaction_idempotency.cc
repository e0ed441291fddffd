#include "controller/store/sqlite_transaction.h"

namespace vantus::controller {

Result<std::optional<IdempotentResponse>> SqliteTransaction::idempotentResponse(
    Id token_id, std::string_view key) {
  VANTUS_TRY(sqlite::Statement query,
             db_.prepare("SELECT request_hash, status, content_type, location, body FROM "
                         "idempotency_keys WHERE token_id = ? AND key = ?"));
  query.bindInt(token_id).bindText(key);
  VANTUS_TRY(bool found, query.step());
  if (!found) {
    return std::optional<IdempotentResponse>();
  }
  return std::optional<IdempotentResponse>(
      IdempotentResponse{.request_hash = query.text(0),
                         .status = static_cast<int>(query.integer(1)),
                         .content_type = query.text(2),
                         .location = query.text(3),
                         .body = query.text(4)});
}

Result<void> SqliteTransaction::saveIdempotentResponse(Id token_id, std::string_view key,
                                                       const IdempotentResponse& response,
                                                       std::int64_t keep_seconds) {
  VANTUS_TRY_VOID(requireWritable("saveIdempotentResponse"));
  VANTUS_TRY(sqlite::Statement forget,
             db_.prepare("DELETE FROM idempotency_keys WHERE created_at < ?"));
  forget.bindInt(now_ - keep_seconds);
  VANTUS_TRY_VOID(forget.run());
  VANTUS_TRY(sqlite::Statement insert,
             db_.prepare("INSERT OR IGNORE INTO idempotency_keys (token_id, key, request_hash, "
                         "status, content_type, location, body, created_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  insert.bindInt(token_id)
      .bindText(key)
      .bindText(response.request_hash)
      .bindInt(response.status)
      .bindText(response.content_type)
      .bindText(response.location)
      .bindText(response.body)
      .bindInt(now_);
  return insert.run();
}

}  // namespace vantus::controller
