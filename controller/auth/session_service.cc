#include "controller/auth/session_service.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/crypto/encoding.h"
#include "common/crypto/hash.h"
#include "common/log/log.h"
#include "controller/auth/access.h"
#include "controller/auth/api_tokens.h"
#include "controller/auth/one_time_links.h"
#include "controller/auth/password.h"
#include "controller/mail/link_mail.h"
#include "controller/store/store.h"
#include "controller/store/store_access.h"

namespace vantus::controller {

namespace {

constexpr std::string_view kWrongCredentials = "the email or the password is wrong";
constexpr std::size_t kSessionIdBytes = 32;
constexpr std::size_t kMaxRecordedEmail = 254;
constexpr std::size_t kMinPasswordBytes = 12;

Result<void> acceptableNewPassword(std::string_view password) {
  if (password.size() < kMinPasswordBytes || password.size() > kMaxPasswordBytes) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("the new password must be {} to {} characters long", kMinPasswordBytes,
                            kMaxPasswordBytes),
                "new_password");
  }
  return ok();
}

std::string idHashOf(std::string_view session_id) { return crypto::sha256Hex(session_id); }

using nlohmann::json;

std::string normalisedEmail(std::string_view email) {
  std::string lowered(email.substr(0, kMaxRecordedEmail));
  for (char& c : lowered) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return lowered;
}

Actor userActor(const User& user, const ClientInfo& client) {
  Actor actor;
  actor.kind = "user";
  actor.id = std::to_string(user.id);
  actor.name = user.email;
  actor.email = user.email;
  actor.source_address = client.address;
  actor.user_agent = client.user_agent.substr(0, 200);
  return actor;
}

// Someone who typed `email` into a public form, whoever they are.
Actor typedEmailActor(const std::string& email, const ClientInfo& client) {
  Actor actor;
  actor.kind = "user";
  actor.name = email;
  actor.source_address = client.address;
  actor.user_agent = client.user_agent.substr(0, 200);
  return actor;
}

// A session acts with its user's roles: every scope, bound to no tenant, so that what it may
// do is exactly what the user's roles allow (access.h).
Principal sessionPrincipal(User user, std::vector<Membership> memberships) {
  Principal principal;
  principal.user = std::move(user);
  principal.token.name = "web session";
  principal.token.user_id = principal.user.id;
  principal.token.scopes = allScopes();
  principal.memberships = std::move(memberships);
  return principal;
}

}  // namespace

SessionService::SessionService(Store& store, SessionSettings settings, Clock clock,
                               mail::LinkMail* link_mail)
    : store_(store),
      settings_(settings),
      clock_(std::move(clock)),
      backoff_(settings.account_backoff, settings.address_backoff),
      link_backoff_(settings.link_account_backoff, settings.link_address_backoff),
      link_mail_(link_mail) {}

const std::string& SessionService::dummyHash() {
  // Made at the first sign-in, not at construction: every CLI command constructs the service.
  std::call_once(dummy_hash_once_, [this] {
    Result<std::string> random = crypto::randomToken(32);
    if (!random) {
      abortOnBrokenInvariant("the CSPRNG is unusable");
    }
    Result<std::string> hash = hashPassword(*random);
    if (!hash) {
      abortOnBrokenInvariant("hashing a random password failed");
    }
    dummy_hash_ = std::move(*hash);
  });
  return dummy_hash_;
}

std::string SessionService::csrfTokenOf(std::string_view session_id) {
  return crypto::base64UrlEncode(crypto::hmacSha256(session_id, "vantus csrf token v1"));
}

std::int64_t SessionService::signInWaitSeconds(std::string_view email,
                                               std::string_view address) const {
  return backoff_.waitSeconds(normalisedEmail(email), std::string(address), clock_());
}

Result<std::string> SessionService::signIn(std::string_view email, std::string_view password,
                                           const ClientInfo& client) {
  const std::string account = normalisedEmail(email);
  // Before the lookup: the first sign-in pays for making it whether or not the email exists.
  const std::string& dummy_hash = dummyHash();
  const std::int64_t now = clock_();
  if (const std::int64_t wait = backoff_.waitSeconds(account, client.address, now); wait > 0) {
    return fail(ErrorCode::kRateLimited,
                fmt::format("too many failed sign-ins: try again in {} seconds", wait));
  }
  std::optional<User> found;
  std::vector<Membership> memberships;
  VANTUS_TRY_VOID(store_.read([&](Transaction& tx) -> Result<void> {
    Result<User> user = tx.userByEmail(account);
    if (!user) {
      if (user.error().code == ErrorCode::kNotFound) {
        return ok();
      }
      return fail(user.error());
    }
    found = std::move(*user);
    return ok();
  }));
  const bool usable = found && !found->disabled && !found->password_hash.empty();
  const bool verified = verifyPassword(password, usable ? found->password_hash : dummy_hash);
  if (!usable || !verified) {
    backoff_.recordFailure(account, client.address, now);
    VANTUS_TRY_VOID(store_.write([&](Transaction& tx) {
      return appendAuditRow(tx, typedEmailActor(account, client), std::nullopt,
                            "session.login_failed",
                            found ? fmt::format("user:{}", found->id) : "user:unknown", nullptr,
                            {{"email", account}});
    }));
    return fail(ErrorCode::kUnauthenticated, std::string(kWrongCredentials));
  }
  backoff_.recordSuccess(account);
  VANTUS_TRY(std::string session_id, crypto::randomToken(kSessionIdBytes));
  SessionRecord record;
  record.user_id = found->id;
  record.id_hash = idHashOf(session_id);
  record.created_at = now;
  record.last_seen_at = now;
  record.address = client.address;
  record.user_agent = client.user_agent.substr(0, 200);
  VANTUS_TRY_VOID(store_.write([&](Transaction& tx) -> Result<void> {
    VANTUS_TRY(SessionRecord created, tx.insertSession(record));
    return appendAuditRow(tx, userActor(*found, client), std::nullopt, "session.create",
                          fmt::format("session:{}", created.id), nullptr, {{"user_id", found->id}});
  }));
  return session_id;
}

Result<ActiveSession> SessionService::authenticate(std::string_view session_id,
                                                   const ClientInfo& client) {
  const std::int64_t now = clock_();
  std::optional<SessionRecord> record;
  std::optional<User> user;
  std::vector<Membership> memberships;
  VANTUS_TRY_VOID(store_.read([&](Transaction& tx) -> Result<void> {
    Result<SessionRecord> found = tx.sessionByHash(idHashOf(session_id));
    if (!found) {
      if (found.error().code == ErrorCode::kNotFound) {
        return ok();
      }
      return fail(found.error());
    }
    record = std::move(*found);
    VANTUS_TRY(user, tx.user(record->user_id));
    VANTUS_TRY(memberships, tx.membershipsOfUser(record->user_id));
    return ok();
  }));
  if (!record) {
    return fail(ErrorCode::kUnauthenticated, "no such session: sign in");
  }
  const bool expired = now - record->last_seen_at >= settings_.idle_seconds ||
                       now - record->created_at >= settings_.absolute_seconds;
  if (expired || user->disabled) {
    VANTUS_TRY_VOID(store_.write([&](Transaction& tx) {
      return user->disabled ? tx.deleteSessionsOfUser(user->id) : tx.deleteSession(record->id);
    }));
    return fail(ErrorCode::kUnauthenticated, "the session has ended: sign in again");
  }
  if (now - record->last_seen_at >= kTouchEverySeconds) {
    VANTUS_TRY_VOID(
        store_.write([&](Transaction& tx) { return tx.touchSession(record->id, now); }));
    record->last_seen_at = now;
  }
  ActiveSession session;
  session.caller.actor = userActor(*user, client);
  session.caller.principal = sessionPrincipal(std::move(*user), std::move(memberships));
  session.record = std::move(*record);
  session.csrf_token = csrfTokenOf(session_id);
  return session;
}

Result<void> SessionService::signOut(const ActiveSession& session) {
  return store_.write([&](Transaction& tx) -> Result<void> {
    VANTUS_TRY_VOID(tx.deleteSession(session.record.id));
    return appendAuditRow(tx, session.caller.actor, std::nullopt, "session.delete",
                          fmt::format("session:{}", session.record.id), nullptr, nullptr);
  });
}

Result<void> SessionService::signOutEverywhere(const ActiveSession& session) {
  return store_.write([&](Transaction& tx) -> Result<void> {
    VANTUS_TRY_VOID(tx.deleteSessionsOfUser(session.record.user_id));
    return appendAuditRow(tx, session.caller.actor, std::nullopt, "session.delete_all",
                          fmt::format("user:{}", session.record.user_id), nullptr, nullptr);
  });
}

Result<std::vector<SessionRecord>> SessionService::sessions(const ActiveSession& session) const {
  return readValue<std::vector<SessionRecord>>(
      store_, [&](Transaction& tx) { return tx.sessionsOfUser(session.record.user_id); });
}

Result<void> SessionService::endSession(const ActiveSession& session, Id session_id) {
  return store_.write([&](Transaction& tx) -> Result<void> {
    VANTUS_TRY(std::vector<SessionRecord> own, tx.sessionsOfUser(session.record.user_id));
    const bool mine = std::any_of(own.begin(), own.end(),
                                  [&](const SessionRecord& row) { return row.id == session_id; });
    if (!mine) {
      return fail(ErrorCode::kNotFound, fmt::format("session {} not found", session_id));
    }
    VANTUS_TRY_VOID(tx.deleteSession(session_id));
    return appendAuditRow(tx, session.caller.actor, std::nullopt, "session.delete",
                          fmt::format("session:{}", session_id), nullptr, nullptr);
  });
}

Result<void> SessionService::changePassword(const ActiveSession& session,
                                            std::string_view current_password,
                                            std::string_view new_password) {
  VANTUS_TRY(User user, readValue<User>(store_, [&](Transaction& tx) {
               return tx.user(session.record.user_id);
             }));
  // Guessing through a stolen session is backed off like guessing at the sign-in form.
  const std::string& address = session.caller.actor.source_address;
  const std::int64_t now = clock_();
  if (const std::int64_t wait = backoff_.waitSeconds(user.email, address, now); wait > 0) {
    return fail(ErrorCode::kRateLimited,
                fmt::format("too many wrong passwords: try again in {} seconds", wait));
  }
  if (user.password_hash.empty() || !verifyPassword(current_password, user.password_hash)) {
    backoff_.recordFailure(user.email, address, now);
    return fail(ErrorCode::kPermissionDenied, "the current password is wrong", "current_password");
  }
  VANTUS_TRY_VOID(acceptableNewPassword(new_password));
  if (new_password == current_password) {
    return fail(ErrorCode::kInvalidInput, "the new password must differ from the current one",
                "new_password");
  }
  VANTUS_TRY(std::string hash, hashPassword(new_password));
  return store_.write([&](Transaction& tx) -> Result<void> {
    VANTUS_TRY_VOID(tx.setPasswordHash(user.id, hash));
    VANTUS_TRY_VOID(tx.deleteSessionsOfUser(user.id));
    return appendAuditRow(tx, session.caller.actor, std::nullopt, "user.password_change",
                          fmt::format("user:{}", user.id), nullptr, nullptr);
  });
}

Result<std::string> SessionService::issuePasswordLink(const Caller& caller,
                                                      std::string_view email) {
  VANTUS_TRY_VOID(authorize(caller.principal, "users:admin", std::nullopt));
  const std::int64_t now = clock_();
  return writeValue<std::string>(store_, [&](Transaction& tx) -> Result<std::string> {
    Result<User> user = tx.userByEmail(normalisedEmail(email));
    if (!user) {
      if (user.error().code == ErrorCode::kNotFound) {
        return fail(ErrorCode::kNotFound, fmt::format("no user has the email {:?}", email),
                    "email");
      }
      return fail(user.error());
    }
    VANTUS_TRY(IssuedLink link, insertOneTimeLink(tx, user->id, LinkPurpose::kPasswordReset,
                                                  std::nullopt, now, kPasswordLinkSeconds));
    VANTUS_TRY_VOID(appendAuditRow(
        tx, caller.actor, std::nullopt, "user.password_link", fmt::format("user:{}", user->id),
        nullptr, {{"link", link.record.id}, {"expires_at", link.record.expires_at}}));
    return link.token;
  });
}

std::int64_t SessionService::passwordLinkWaitSeconds(std::string_view email,
                                                     std::string_view address) const {
  return link_backoff_.waitSeconds(normalisedEmail(email), std::string(address), clock_());
}

Result<void> SessionService::requestPasswordLink(std::string_view email, const ClientInfo& client) {
  if (link_mail_ == nullptr) {
    return fail(ErrorCode::kFailedPrecondition,
                "this controller sends no e-mail (no smtp in controller.yaml): ask a platform "
                "admin for a password link");
  }
  const std::string account = normalisedEmail(email);
  const std::int64_t now = clock_();
  if (const std::int64_t wait = link_backoff_.waitSeconds(account, client.address, now); wait > 0) {
    return fail(ErrorCode::kRateLimited,
                fmt::format("too many password link requests: try again in {} seconds", wait));
  }
  link_backoff_.recordFailure(account, client.address, now);
  const Actor actor = typedEmailActor(account, client);
  VANTUS_TRY(std::optional<IssuedLink> link,
             writeValue<std::optional<IssuedLink>>(
                 store_, [&](Transaction& tx) -> Result<std::optional<IssuedLink>> {
                   Result<User> user = tx.userByEmail(account);
                   if (!user && user.error().code != ErrorCode::kNotFound) {
                     return fail(user.error());
                   }
                   std::optional<IssuedLink> issued;
                   if (user && !user->disabled) {
                     VANTUS_TRY(issued, insertOneTimeLink(tx, user->id, LinkPurpose::kPasswordReset,
                                                          std::nullopt, now, kPasswordLinkSeconds));
                   }
                   json after = {{"email", account}};
                   if (issued) {
                     after["link"] = issued->record.id;
                   }
                   VANTUS_TRY_VOID(appendAuditRow(
                       tx, actor, std::nullopt, "user.password_link_request",
                       user ? fmt::format("user:{}", user->id) : "user:unknown", nullptr, after));
                   return issued;
                 }));
  if (link) {
    // Queued, not awaited: the answer takes the same time whether or not the email exists.
    if (Result<void> queued =
            link_mail_->sendPasswordLink(account, link->token, kPasswordLinkSeconds);
        !queued) {
      log::warn("mail.not_queued", {{"to", account}, {"error", queued.error().describe()}});
    }
  }
  return ok();
}

Result<SpentLink> SessionService::setPasswordWithLink(std::string_view token,
                                                      std::string_view new_password,
                                                      const ClientInfo& client) {
  const std::int64_t now = clock_();
  auto unusable = [] {
    return fail(ErrorCode::kUnauthenticated,
                "this link is unknown, used or expired: ask for a new one");
  };
  std::optional<PasswordReset> reset;
  VANTUS_TRY_VOID(store_.read([&](Transaction& tx) -> Result<void> {
    Result<PasswordReset> found = tx.passwordResetByHash(oneTimeLinkHash(token));
    if (found) {
      reset = std::move(*found);
    } else if (found.error().code != ErrorCode::kNotFound) {
      return fail(found.error());
    }
    return ok();
  }));
  if (!reset || reset->used || now >= reset->expires_at) {
    return unusable();
  }
  VANTUS_TRY_VOID(acceptableNewPassword(new_password));
  VANTUS_TRY(std::string hash, hashPassword(new_password));
  return writeValue<SpentLink>(store_, [&](Transaction& tx) -> Result<SpentLink> {
    // Read again inside the write: two uses of one link cannot both succeed.
    VANTUS_TRY(PasswordReset current, tx.passwordResetByHash(reset->token_hash));
    if (current.used) {
      return unusable();
    }
    VANTUS_TRY(User user, tx.user(current.user_id));
    VANTUS_TRY_VOID(tx.markPasswordResetUsed(current.id));
    VANTUS_TRY_VOID(tx.setPasswordHash(user.id, hash));
    VANTUS_TRY_VOID(tx.deleteSessionsOfUser(user.id));
    const bool invitation = current.purpose == LinkPurpose::kInvitation;
    VANTUS_TRY_VOID(
        appendAuditRow(tx, userActor(user, client), invitation ? current.tenant_id : std::nullopt,
                       invitation ? "member.invitation_accept" : "user.password_reset",
                       fmt::format("user:{}", user.id), nullptr, {{"link", current.id}}));
    return SpentLink{std::move(user), current.purpose, current.tenant_id};
  });
}

}  // namespace vantus::controller
