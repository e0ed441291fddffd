#include "controller/store/sqlite_transaction.h"

namespace vantus::controller {

Result<std::optional<IdempotentResponse>> SqliteTransaction::idempotentResponse(
    Id token_id, std::string_view key) {
  VANTUS_TRY(sqlite::Statement query,
             db_.prepare("SELECT request_hash, status, content_type, location, body, target FROM "
                         "idempotency_keys WHERE token_id = ? AND key = ?"));
  query.bindInt(token_id).bindText(key);
  VANTUS_TRY(bool found, query.step());
  if (!found) {
    return std::optional<IdempotentResponse>();
  }
  return std::optional<IdempotentResponse>(
      IdempotentResponse{.request_hash = query.text(0),
                         .status = static_cast<int>(query.integer(1)),
                         .target = query.text(5),
                         .content_type = query.text(2),
                         .location = query.text(3),
                         .body = query.text(4)});
}

Result<void> SqliteTransaction::claimIdempotencyKey(Id token_id, std::string_view key,
                                                    std::string_view request_hash,
                                                    std::string_view target) {
  VANTUS_TRY_VOID(requireWritable("claimIdempotencyKey"));
  VANTUS_TRY(sqlite::Statement insert,
             db_.prepare("INSERT OR IGNORE INTO idempotency_keys (token_id, key, request_hash, "
                         "status, content_type, location, body, created_at, target) "
                         "VALUES (?, ?, ?, 0, '', '', '', ?, ?)"));
  insert.bindInt(token_id).bindText(key).bindText(request_hash).bindInt(now_).bindText(target);
  return insert.run();
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
             db_.prepare("INSERT INTO idempotency_keys (token_id, key, request_hash, status, "
                         "content_type, location, body, created_at, target) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                         "ON CONFLICT (token_id, key) DO UPDATE SET status = excluded.status, "
                         "content_type = excluded.content_type, location = excluded.location, "
                         "body = excluded.body WHERE idempotency_keys.status = 0 AND "
                         "idempotency_keys.request_hash = excluded.request_hash"));
  insert.bindInt(token_id)
      .bindText(key)
      .bindText(response.request_hash)
      .bindInt(response.status)
      .bindText(response.content_type)
      .bindText(response.location)
      .bindText(response.body)
      .bindInt(now_)
      .bindText(response.target);
  return insert.run();
}

}  // namespace vantus::controller
