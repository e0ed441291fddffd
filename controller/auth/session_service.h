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
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"
#include "controller/auth/caller.h"
#include "controller/auth/login_backoff.h"
#include "controller/model/people.h"
#include "controller/model/session_record.h"

namespace vantus::controller {

class Store;
namespace mail {
class LinkMail;
}

struct SessionSettings {
  std::int64_t idle_seconds = 30 * 60;
  std::int64_t absolute_seconds = 12 * 60 * 60;
  BackoffRule account_backoff{5, 15 * 60};
  BackoffRule address_backoff{20, 15 * 60};
  // "Forgot password?" requests: every request counts, whether or not the email exists.
  BackoffRule link_account_backoff{3, 15 * 60};
  BackoffRule link_address_backoff{10, 15 * 60};
};

// Where a request came from, for the audit rows and the session list.
struct ClientInfo {
  std::string address;
  std::string user_agent;
};

// What a spent one-time link did: whose password it set, and for an invitation the tenant the
// user lands on.
struct SpentLink {
  User user;
  LinkPurpose purpose = LinkPurpose::kPasswordReset;
  std::optional<Id> tenant_id;
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

  static constexpr std::int64_t kPasswordLinkSeconds = 30 * 60;

  // `link_mail`, when not null, e-mails the links of requestPasswordLink; it must outlive this.
  SessionService(Store& store, SessionSettings settings, Clock clock,
                 mail::LinkMail* link_mail = nullptr);

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
  // "Forgot password?": e-mails a password link to `email` when it is an enabled user's, and
  // answers alike (ok) when it is not. Audited (`user.password_link_request`, with the typed
  // email); backed off per typed email and per address like sign-ins, but on their own
  // counters: kRateLimited (passwordLinkWaitSeconds says how long). kFailedPrecondition when no
  // mail is configured. The e-mail is queued, not awaited: a sending failure is logged.
  Result<void> requestPasswordLink(std::string_view email, const ClientInfo& client);
  std::int64_t passwordLinkWaitSeconds(std::string_view email, std::string_view address) const;
  bool mailsLinks() const { return link_mail_ != nullptr; }
  // Sets the password of the link's user (same length rules as changePassword) and spends the
  // link (password link or invitation); every session of the user ends. kUnauthenticated, with
  // one message, for an unknown, spent or expired link.
  Result<SpentLink> setPasswordWithLink(std::string_view token, std::string_view new_password,
                                        const ClientInfo& client);

  // The CSRF token of a session: derived from its id, so it is as secret as the id, yet
  // knowing the token (or the stored hash) gives neither the id nor the other.
  static std::string csrfTokenOf(std::string_view session_id);

 private:
  // Last-seen times are written at most this often, so that reading pages stays reading.
  static constexpr std::int64_t kTouchEverySeconds = 60;

  Store& store_;
  SessionSettings settings_;
  Clock clock_;
  LoginBackoff backoff_;
  LoginBackoff link_backoff_;  // "Forgot password?" requests, counted apart from sign-ins
  mail::LinkMail* link_mail_;
  // A hash of a password nobody knows, with today's parameters, verified against when the
  // email is unknown so that it costs what a real user's verification costs.
  const std::string& dummyHash();
  std::once_flag dummy_hash_once_;
  std::string dummy_hash_;
};

}  // namespace vantus::controller
