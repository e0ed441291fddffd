#pragma once
// Web UI sessions (DESIGN §9): sign-in with email and password (argon2id), server-side
// sessions in the store. The browser holds a 256-bit random id; the store keeps only its
// SHA-256. A session ends when idle longer than `idle_seconds`, older than `absolute_seconds`,
// at sign-out, at "sign out everywhere", and when its user is disabled or deleted. Every
// sign-in makes a new id. Unknown email, wrong password, disabled user and a user without a
// password answer alike and take the same argon2id work; failures are audited and backed off
// per account and per address (login_backoff.h). Thread-safe.
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"
#include "controller/auth/caller.h"
#include "controller/auth/login_backoff.h"
#include "controller/model/session_record.h"

namespace vantus::controller {

class Store;

struct SessionSettings {
  std::int64_t idle_seconds = 30 * 60;
  std::int64_t absolute_seconds = 12 * 60 * 60;
  BackoffRule account_backoff{5, 15 * 60};
  BackoffRule address_backoff{20, 15 * 60};
};

// Where a request came from, for the audit rows and the session list.
struct ClientInfo {
  std::string address;
  std::string user_agent;
};

// A session that is valid now: who acts through it and the token its forms must carry.
struct ActiveSession {
  SessionRecord record;
  Caller caller;
  std::string csrf_token;
};

class SessionService {
 public:
  using Clock = std::function<std::int64_t()>;  // unix seconds

  SessionService(Store& store, SessionSettings settings, Clock clock);

  // The new session's id (for the cookie; it exists nowhere else). kUnauthenticated with one
  // message for every reason; kRateLimited while backed off (signInWaitSeconds says how long).
  Result<std::string> signIn(std::string_view email, std::string_view password,
                             const ClientInfo& client);
  std::int64_t signInWaitSeconds(std::string_view email, std::string_view address) const;
  // kUnauthenticated for an unknown, expired or ended session, or a disabled user.
  Result<ActiveSession> authenticate(std::string_view session_id, const ClientInfo& client);
  // Ends the session of `session_id` (no error when it already ended).
  Result<void> signOut(const ActiveSession& session);
  // Ends every session of the caller's user, this one included.
  Result<void> signOutEverywhere(const ActiveSession& session);
  Result<std::vector<SessionRecord>> sessions(const ActiveSession& session) const;
  // Ends one other session of the same user; another user's is kNotFound.
  Result<void> endSession(const ActiveSession& session, Id session_id);
  // Needs the current password (kPermissionDenied, field "current_password", when wrong). The
  // new one: 12..kMaxPasswordBytes bytes, not the current one (kInvalidInput, field
  // "new_password"). Every session of the user ends, this one too; the caller signs in again.
  Result<void> changePassword(const ActiveSession& session, std::string_view current_password,
                              std::string_view new_password);

  // A one-time link token for the user of `email` (a 256-bit secret, only its hash stored,
  // valid 30 minutes, spent by its first use): "users:admin" on the platform. kNotFound (field
  // "email") for an unknown user.
  Result<std::string> issuePasswordLink(const Caller& caller, std::string_view email);
  // Sets the password of the link's user (same length rules as changePassword) and spends the
  // link; every session of the user ends. kUnauthenticated, with one message, for an unknown,
  // spent or expired link.
  Result<void> setPasswordWithLink(std::string_view token, std::string_view new_password,
                                   const ClientInfo& client);

  // The CSRF token of a session: derived from its id, so it is as secret as the id, yet
  // knowing the token (or the stored hash) gives neither the id nor the other.
  static std::string csrfTokenOf(std::string_view session_id);

 private:
  // Last-seen times are written at most this often, so that reading pages stays reading.
  static constexpr std::int64_t kTouchEverySeconds = 60;
  static constexpr std::int64_t kPasswordLinkSeconds = 30 * 60;

  Store& store_;
  SessionSettings settings_;
  Clock clock_;
  LoginBackoff backoff_;
  // A hash of a password nobody knows, with today's parameters, verified against when the
  // email is unknown so that it costs what a real user's verification costs.
  const std::string& dummyHash();
  std::once_flag dummy_hash_once_;
  std::string dummy_hash_;
};

}  // namespace vantus::controller
