#pragma once
#ifdef VANTUS_FRONT_DOOR
#error "a front door (controller/api) reaches the store only through the services"
#endif
// Web UI sessions and one-time password links. Part of Transaction (transaction.h).
#include <string_view>
#include <vector>

#include "common/core/result.h"
#include "controller/model/session_record.h"

namespace vantus::controller {

class SessionQueries {
 public:
  virtual Result<SessionRecord> insertSession(const SessionRecord& session) = 0;  // sets id
  virtual Result<SessionRecord> sessionByHash(std::string_view id_hash) = 0;      // kNotFound
  virtual Result<std::vector<SessionRecord>> sessionsOfUser(Id user_id) = 0;      // by id
  virtual Result<void> touchSession(Id id, std::int64_t last_seen_at) = 0;
  virtual Result<void> deleteSession(Id id) = 0;  // no error when already gone
  virtual Result<void> deleteSessionsOfUser(Id user_id) = 0;
  virtual Result<PasswordReset> insertPasswordReset(const PasswordReset& reset) = 0;   // sets id
  virtual Result<PasswordReset> passwordResetByHash(std::string_view token_hash) = 0;  // kNotFound
  virtual Result<void> markPasswordResetUsed(Id id) = 0;

 protected:
  ~SessionQueries() = default;
};

}  // namespace vantus::controller
