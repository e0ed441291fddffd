#include "controller/auth/session_service.h"

#include <doctest/doctest.h>

#include "controller/auth/password.h"
#include "controller/mail/link_mail.h"
#include "controller/store/store.h"
#include "controller/store/store_access.h"
#include "tests/support/fake_mailer.h"
#include "tests/support/temp_dir.h"

namespace vantus::controller {
namespace {

constexpr std::string_view kPassword = "correct horse battery staple";

// A store with one user (a password, a viewer role on no tenant) and a clock the test moves.
struct SessionFixture {
  testing::TempDir root;
  std::unique_ptr<Store> store;
  std::int64_t now = 1'800'000'000;
  Id user_id = 0;
  std::unique_ptr<SessionService> sessions;

  explicit SessionFixture(SessionSettings settings = {}, mail::LinkMail* link_mail = nullptr) {
    auto opened = Store::open(root.path() / "vantus.db",
                              std::filesystem::path(VANTUS_SOURCE_DIR) / "schema" / "migrations");
    REQUIRE(opened);
    store = std::move(*opened);
    auto hash = hashPassword(kPassword);
    REQUIRE(hash);
    auto user = writeValue<User>(*store, [&](Transaction& tx) {
      User row;
      row.email = "ana@example.com";
      row.password_hash = *hash;
      return tx.insertUser(row);
    });
    REQUIRE(user);
    user_id = user->id;
    sessions = std::make_unique<SessionService>(
        *store, settings, [this] { return now; }, link_mail);
  }

  std::string signIn() {
    auto id = sessions->signIn("ana@example.com", kPassword, client());
    REQUIRE(id);
    return *id;
  }
  static ClientInfo client() { return {"127.0.0.1", "doctest"}; }
  std::vector<AuditEntry> audit(const std::string& action) {
    auto rows = readValue<std::vector<AuditEntry>>(*store, [&](Transaction& tx) {
      return tx.auditEntries(AuditFilter{.action = action}, 0, 100);
    });
    REQUIRE(rows);
    return *rows;
  }
};

TEST_CASE("a session id is 256 random bits of which the store keeps only the hash") {
  SessionFixture fixture;
  const std::string id = fixture.signIn();
  CHECK(id.size() == 43);  // 32 bytes, base64url
  CHECK(fixture.signIn() != id);
  auto session = fixture.sessions->authenticate(id, fixture.client());
  REQUIRE(session);
  CHECK(session->caller.principal.user.email == "ana@example.com");
  CHECK(session->caller.actor.kind == "user");
  CHECK(session->record.id_hash != id);
  CHECK(session->record.id_hash.size() == 64);
  CHECK(session->csrf_token == SessionService::csrfTokenOf(id));
  CHECK(session->csrf_token != id);
  CHECK(fixture.audit("session.create").size() == 2);
}

TEST_CASE("an unknown email and a wrong password get the same answer, and both are audited") {
  SessionFixture fixture;
  auto wrong = fixture.sessions->signIn("ana@example.com", "guess", fixture.client());
  auto unknown = fixture.sessions->signIn("bob@example.com", kPassword, fixture.client());
  REQUIRE_FALSE(wrong);
  REQUIRE_FALSE(unknown);
  CHECK(wrong.error().code == ErrorCode::kUnauthenticated);
  CHECK(unknown.error().code == ErrorCode::kUnauthenticated);
  CHECK(wrong.error().message == unknown.error().message);
  const auto failed = fixture.audit("session.login_failed");
  REQUIRE(failed.size() == 2);
  CHECK(failed[0].after.dump().find("guess") == std::string::npos);
}

TEST_CASE("a session idle for the idle timeout has ended; activity keeps it alive") {
  SessionFixture fixture;
  const std::string id = fixture.signIn();
  fixture.now += 29 * 60;
  REQUIRE(fixture.sessions->authenticate(id, fixture.client()));
  fixture.now += 29 * 60;  // 58 minutes after sign-in, 29 after the last request
  REQUIRE(fixture.sessions->authenticate(id, fixture.client()));
  fixture.now += 30 * 60;
  auto ended = fixture.sessions->authenticate(id, fixture.client());
  REQUIRE_FALSE(ended);
  CHECK(ended.error().code == ErrorCode::kUnauthenticated);
  // Ended means gone: going back in time does not revive it.
  fixture.now -= 30 * 60;
  CHECK_FALSE(fixture.sessions->authenticate(id, fixture.client()));
}

TEST_CASE("a busy session still ends at the absolute timeout") {
  SessionFixture fixture;
  const std::string id = fixture.signIn();
  for (int step = 0; step < 12 * 3; ++step) {
    fixture.now += 20 * 60;
    auto session = fixture.sessions->authenticate(id, fixture.client());
    if (step < 12 * 3 - 1) {
      REQUIRE_MESSAGE(session, "step ", step);
    } else {
      CHECK_FALSE(session);  // exactly 12 hours after sign-in
    }
  }
}

TEST_CASE("the timeouts come from the settings") {
  SessionSettings settings;
  settings.idle_seconds = 60;
  settings.absolute_seconds = 600;
  SessionFixture fixture(settings);
  const std::string id = fixture.signIn();
  fixture.now += 59;
  CHECK(fixture.sessions->authenticate(id, fixture.client()));
  fixture.now += 61;
  CHECK_FALSE(fixture.sessions->authenticate(id, fixture.client()));
}

TEST_CASE("sign-out ends one session, sign out everywhere ends them all") {
  SessionFixture fixture;
  const std::string first = fixture.signIn();
  const std::string second = fixture.signIn();
  const std::string third = fixture.signIn();
  auto session = fixture.sessions->authenticate(first, fixture.client());
  REQUIRE(session);
  auto listed = fixture.sessions->sessions(*session);
  REQUIRE(listed);
  CHECK(listed->size() == 3);
  REQUIRE(fixture.sessions->signOut(*session));
  CHECK_FALSE(fixture.sessions->authenticate(first, fixture.client()));
  auto other = fixture.sessions->authenticate(second, fixture.client());
  REQUIRE(other);
  REQUIRE(fixture.sessions->signOutEverywhere(*other));
  CHECK_FALSE(fixture.sessions->authenticate(second, fixture.client()));
  CHECK_FALSE(fixture.sessions->authenticate(third, fixture.client()));
}

TEST_CASE("a disabled user's sessions die at once and the user cannot sign in") {
  SessionFixture fixture;
  const std::string id = fixture.signIn();
  REQUIRE(fixture.store->write([&](Transaction& tx) -> Result<void> {
    VANTUS_TRY(User user, tx.user(fixture.user_id));
    user.disabled = true;
    return tx.updateUser(user).has_value() ? ok() : fail(ErrorCode::kInternal, "update");
  }));
  CHECK_FALSE(fixture.sessions->authenticate(id, fixture.client()));
  auto again = fixture.sessions->signIn("ana@example.com", kPassword, fixture.client());
  REQUIRE_FALSE(again);
  CHECK(again.error().code == ErrorCode::kUnauthenticated);
}

TEST_CASE("failed sign-ins back off per account, doubling, and say how long") {
  SessionSettings settings;
  settings.account_backoff = {3, 60};
  SessionFixture fixture(settings);
  for (int i = 0; i < 3; ++i) {
    CHECK(fixture.sessions->signIn("ana@example.com", "guess", fixture.client()).error().code ==
          ErrorCode::kUnauthenticated);
  }
  CHECK(fixture.sessions->signInWaitSeconds("ana@example.com", "127.0.0.1") == 0);
  CHECK_FALSE(fixture.sessions->signIn("ana@example.com", "guess", fixture.client()));
  CHECK(fixture.sessions->signInWaitSeconds("ANA@example.com", "10.9.9.9") == 1);
  // Backed off: even the right password waits, and the wait is not counted as a failure.
  auto waiting = fixture.sessions->signIn("ana@example.com", kPassword, fixture.client());
  REQUIRE_FALSE(waiting);
  CHECK(waiting.error().code == ErrorCode::kRateLimited);
  fixture.now += 1;
  CHECK_FALSE(fixture.sessions->signIn("ana@example.com", "guess", fixture.client()));
  CHECK(fixture.sessions->signInWaitSeconds("ana@example.com", "10.9.9.9") == 2);
  fixture.now += 2;
  CHECK(fixture.sessions->signIn("ana@example.com", kPassword, fixture.client()));
  CHECK(fixture.sessions->signInWaitSeconds("ana@example.com", "10.9.9.9") == 0);
}

TEST_CASE("an address guessing at many accounts is backed off too") {
  SessionSettings settings;
  settings.address_backoff = {2, 60};
  SessionFixture fixture(settings);
  for (const char* email : {"a@example.com", "b@example.com", "c@example.com"}) {
    CHECK_FALSE(fixture.sessions->signIn(email, "guess", {"10.1.1.1", ""}));
  }
  CHECK(fixture.sessions->signInWaitSeconds("d@example.com", "10.1.1.1") == 1);
  CHECK(fixture.sessions->signInWaitSeconds("d@example.com", "10.2.2.2") == 0);
  auto refused = fixture.sessions->signIn("ana@example.com", kPassword, {"10.1.1.1", ""});
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == ErrorCode::kRateLimited);
}

}  // namespace
}  // namespace vantus::controller

namespace vantus::controller {
namespace {

TEST_CASE("a password change needs the current password and ends every session") {
  SessionFixture fixture;
  const std::string id = fixture.signIn();
  const std::string other = fixture.signIn();
  auto session = fixture.sessions->authenticate(id, fixture.client());
  REQUIRE(session);

  auto wrong = fixture.sessions->changePassword(*session, "guess", "a new long password");
  REQUIRE_FALSE(wrong);
  CHECK(wrong.error().code == ErrorCode::kPermissionDenied);
  CHECK(wrong.error().field == "current_password");
  auto short_one = fixture.sessions->changePassword(*session, kPassword, "short");
  REQUIRE_FALSE(short_one);
  CHECK(short_one.error().field == "new_password");
  CHECK(fixture.sessions->authenticate(other, fixture.client()));

  REQUIRE(fixture.sessions->changePassword(*session, kPassword, "a new long password"));
  CHECK_FALSE(fixture.sessions->authenticate(id, fixture.client()));
  CHECK_FALSE(fixture.sessions->authenticate(other, fixture.client()));
  CHECK_FALSE(fixture.sessions->signIn("ana@example.com", kPassword, fixture.client()));
  CHECK(fixture.sessions->signIn("ana@example.com", "a new long password", fixture.client()));
  CHECK(fixture.audit("user.password_change").size() == 1);
}

TEST_CASE("a user ends one of their own sessions, never another user's") {
  SessionFixture fixture;
  const std::string id = fixture.signIn();
  const std::string other = fixture.signIn();
  auto session = fixture.sessions->authenticate(id, fixture.client());
  auto other_session = fixture.sessions->authenticate(other, fixture.client());
  REQUIRE(session);
  REQUIRE(other_session);
  auto foreign = fixture.sessions->endSession(*session, other_session->record.id + 100);
  REQUIRE_FALSE(foreign);
  CHECK(foreign.error().code == ErrorCode::kNotFound);
  REQUIRE(fixture.sessions->endSession(*session, other_session->record.id));
  CHECK_FALSE(fixture.sessions->authenticate(other, fixture.client()));
  CHECK(fixture.sessions->authenticate(id, fixture.client()));
}

}  // namespace
}  // namespace vantus::controller

namespace vantus::controller {
namespace {

TEST_CASE("a password link is a platform admin's to make, works once, for 30 minutes") {
  SessionFixture fixture;
  const std::string old_session = fixture.signIn();
  auto session = fixture.sessions->authenticate(old_session, fixture.client());
  REQUIRE(session);
  auto refused = fixture.sessions->issuePasswordLink(session->caller, "ana@example.com");
  REQUIRE_FALSE(refused);  // ana is no platform admin
  CHECK(refused.error().code == ErrorCode::kPermissionDenied);

  const Caller admin = localOperator(Actor{});
  auto unknown = fixture.sessions->issuePasswordLink(admin, "nobody@example.com");
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().field == "email");

  auto link = fixture.sessions->issuePasswordLink(admin, "ANA@example.com");
  REQUIRE(link);
  CHECK(link->size() == 43);
  auto too_short = fixture.sessions->setPasswordWithLink(*link, "short", fixture.client());
  REQUIRE_FALSE(too_short);
  CHECK(too_short.error().code == ErrorCode::kInvalidInput);
  REQUIRE(fixture.sessions->setPasswordWithLink(*link, "chosen by the link", fixture.client()));
  CHECK_FALSE(fixture.sessions->authenticate(old_session, fixture.client()));
  CHECK(fixture.sessions->signIn("ana@example.com", "chosen by the link", fixture.client()));
  auto again =
      fixture.sessions->setPasswordWithLink(*link, "chosen a second time", fixture.client());
  REQUIRE_FALSE(again);
  CHECK(again.error().code == ErrorCode::kUnauthenticated);

  auto late = fixture.sessions->issuePasswordLink(admin, "ana@example.com");
  REQUIRE(late);
  fixture.now += 30 * 60;
  auto expired =
      fixture.sessions->setPasswordWithLink(*late, "too late a password", fixture.client());
  REQUIRE_FALSE(expired);
  CHECK(expired.error().code == ErrorCode::kUnauthenticated);
  CHECK(expired.error().message == again.error().message);
  CHECK_FALSE(fixture.sessions->setPasswordWithLink(std::string(43, 'A'), "a guessed link one",
                                                    fixture.client()));
}

// "Forgot password?" with a mailer that sends at once (the app puts a MailOutbox in between).
struct MailedLinks {
  testing::FakeMailer server;
  mail::LinkMail links{server, {"vantus@example.com", "Vantus", "https://vantus.example.com"}};
};

// The token of the link in a password-link e-mail.
std::string tokenIn(const mail::MailMessage& message) {
  const std::string prefix = "https://vantus.example.com/reset/";
  const size_t at = message.text.find(prefix);
  REQUIRE(at != std::string::npos);
  return message.text.substr(at + prefix.size(), 43);
}

TEST_CASE("Forgot password? e-mails an enabled user's link and answers alike for anyone else") {
  MailedLinks mail;
  SessionFixture fixture({}, &mail.links);
  CHECK(fixture.sessions->mailsLinks());
  REQUIRE(fixture.sessions->requestPasswordLink("nobody@example.com", fixture.client()));
  CHECK(mail.server.sent().empty());
  REQUIRE(fixture.sessions->requestPasswordLink("Ana@Example.com", fixture.client()));
  REQUIRE(mail.server.sent().size() == 1);
  const mail::MailMessage sent = mail.server.sent().front();
  CHECK(sent.to == "ana@example.com");
  CHECK(sent.text.find("30 minutes") != std::string::npos);
  auto spent =
      fixture.sessions->setPasswordWithLink(tokenIn(sent), "found my way back", fixture.client());
  REQUIRE(spent);
  CHECK(spent->purpose == LinkPurpose::kPasswordReset);
  CHECK(fixture.sessions->signIn("ana@example.com", "found my way back", fixture.client()));

  const std::vector<AuditEntry> requests = fixture.audit("user.password_link_request");
  REQUIRE(requests.size() == 2);
  CHECK(requests[1].target == "user:unknown");
  CHECK(requests[1].after["email"] == "nobody@example.com");
  CHECK(requests[0].after.contains("link"));
  CHECK(fixture.audit("user.password_reset").size() == 1);

  REQUIRE(fixture.store->write([&](Transaction& tx) -> Result<void> {
    VANTUS_TRY(User ana, tx.user(fixture.user_id));
    ana.disabled = true;
    VANTUS_TRY_VOID(tx.updateUser(ana));
    return ok();
  }));
  REQUIRE(fixture.sessions->requestPasswordLink("ana@example.com", fixture.client()));
  CHECK(mail.server.sent().size() == 1);  // a disabled user gets no mail
}

TEST_CASE("Forgot password? backs off per email on its own counters, not the sign-in's") {
  MailedLinks mail;
  SessionFixture fixture({}, &mail.links);
  for (int i = 0; i < 4; ++i) {
    REQUIRE(fixture.sessions->requestPasswordLink("ana@example.com", fixture.client()));
  }
  auto refused = fixture.sessions->requestPasswordLink("ana@example.com", fixture.client());
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == ErrorCode::kRateLimited);
  CHECK(fixture.sessions->passwordLinkWaitSeconds("ana@example.com", "127.0.0.1") == 1);
  CHECK(mail.server.sent().size() == 4);
  CHECK(fixture.signIn().size() == 43);  // sign-in is not backed off by link requests
  fixture.now += 1;
  CHECK(fixture.sessions->requestPasswordLink("ana@example.com", fixture.client()));
}

TEST_CASE("without mail, Forgot password? says so and makes no link") {
  SessionFixture fixture;
  CHECK_FALSE(fixture.sessions->mailsLinks());
  auto refused = fixture.sessions->requestPasswordLink("ana@example.com", fixture.client());
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == ErrorCode::kFailedPrecondition);
  CHECK(refused.error().message.find("ask a platform admin") != std::string::npos);
  CHECK(fixture.audit("user.password_link_request").empty());
}

}  // namespace
}  // namespace vantus::controller
