// Invitations against the services: who gets a link, where it goes (e-mail or the inviter),
// and that the link it makes is the one that sets the password.
#include <doctest/doctest.h>

#include "controller/auth/session_service.h"
#include "controller/mail/link_mail.h"
#include "controller/mail/mail_outbox.h"
#include "controller/service/model_service.h"
#include "controller/service/user_service.h"
#include "controller/store/store.h"
#include "tests/support/fake_mailer.h"
#include "tests/support/temp_dir.h"

namespace vantus::controller {
namespace {

struct InvitationFixture {
  testing::TempDir root;
  std::unique_ptr<Store> store;
  std::int64_t now = 1'800'000'000;
  const Caller admin = localOperator(Actor{.kind = "test", .name = "inviter@example.com"});
  Id tenant_id = 0;

  InvitationFixture() {
    auto opened = Store::open(root.path() / "vantus.db",
                              std::filesystem::path(VANTUS_SOURCE_DIR) / "schema" / "migrations");
    REQUIRE(opened);
    store = std::move(*opened);
    ModelService model(*store);
    auto tenant = model.createTenant(admin, "acme", "Acme");
    REQUIRE(tenant);
    tenant_id = tenant->id;
  }
  InvitationSettings settings(mail::LinkMail* link_mail) {
    return InvitationSettings{link_mail, 3 * 86400, [this] { return now; }};
  }
  // The token of the invitation link in `text`.
  static std::string tokenIn(const std::string& text) {
    const std::string prefix = "https://vantus.example.com/invitations/";
    const size_t at = text.find(prefix);
    REQUIRE(at != std::string::npos);
    return text.substr(at + prefix.size(), 43);
  }
};

TEST_CASE("without mail the invitation's token comes back; it sets the password once") {
  InvitationFixture fixture;
  UserService users(*fixture.store, fixture.settings(nullptr));
  auto invited = users.inviteMember(fixture.admin, fixture.tenant_id, "Guest@Example.com",
                                    TenantRole::kOperator);
  REQUIRE(invited);
  CHECK(invited->invited);
  CHECK_FALSE(invited->emailed);
  CHECK(invited->token.size() == 43);
  CHECK(invited->membership.email == "guest@example.com");
  CHECK_FALSE(invited->membership.has_password);

  SessionService sessions(*fixture.store, {}, [&] { return fixture.now; });
  CHECK_FALSE(sessions.signIn("guest@example.com", "", {"127.0.0.1", "doctest"}));
  fixture.now += 3 * 86400 - 1;
  auto spent = sessions.setPasswordWithLink(invited->token, "a guest password", {});
  REQUIRE(spent);
  CHECK(spent->purpose == LinkPurpose::kInvitation);
  CHECK(spent->tenant_id == fixture.tenant_id);
  CHECK(spent->user.email == "guest@example.com");
  CHECK(sessions.signIn("guest@example.com", "a guest password", {"127.0.0.1", "doctest"}));
  auto member = users.member(fixture.admin, fixture.tenant_id, spent->user.id);
  REQUIRE(member);
  CHECK(member->has_password);
  auto existing = users.inviteMember(fixture.admin, fixture.tenant_id, "guest@example.com",
                                     TenantRole::kViewer);
  REQUIRE_FALSE(existing);
  CHECK(existing.error().code == ErrorCode::kAlreadyExists);
}

TEST_CASE(
    "with mail the link is e-mailed and not returned; a full queue falls back to showing it") {
  InvitationFixture fixture;
  testing::FakeMailer server;
  server.hold();
  mail::MailOutbox outbox(server, 1);
  mail::LinkMail links(outbox, {"vantus@example.com", "Vantus", "https://vantus.example.com"});
  UserService users(*fixture.store, fixture.settings(&links));

  auto first =
      users.inviteMember(fixture.admin, fixture.tenant_id, "one@example.com", TenantRole::kViewer);
  REQUIRE(first);
  CHECK(first->emailed);
  CHECK(first->token.empty());
  // The outbox thread may hold the first in flight; at most one more waits, then it is full.
  std::vector<Invitation> later;
  for (const std::string email : {"two@example.com", "three@example.com"}) {
    auto invited = users.inviteMember(fixture.admin, fixture.tenant_id, email, TenantRole::kViewer);
    REQUIRE(invited);
    later.push_back(*invited);
  }
  CHECK_FALSE(later.back().emailed);
  CHECK(later.back().token.size() == 43);
  server.release();
  REQUIRE(outbox.waitIdle(std::chrono::seconds(10)));
  const std::vector<mail::MailMessage> sent = server.sent();
  REQUIRE_FALSE(sent.empty());
  CHECK(sent.front().to == "one@example.com");
  CHECK(sent.front().subject == "You are invited to Acme on Vantus");
  CHECK(sent.front().text.find("inviter@example.com invited you") != std::string::npos);
  CHECK(sent.front().text.find("3 days") != std::string::npos);

  SessionService sessions(*fixture.store, {}, [&] { return fixture.now; });
  fixture.now += 3 * 86400;
  auto expired = sessions.setPasswordWithLink(InvitationFixture::tokenIn(sent.front().text),
                                              "too late now", {});
  REQUIRE_FALSE(expired);
  CHECK(expired.error().code == ErrorCode::kUnauthenticated);
  auto again = users.resendInvitation(fixture.admin, fixture.tenant_id, first->membership.user_id);
  REQUIRE(again);
  REQUIRE(outbox.waitIdle(std::chrono::seconds(10)));
  const std::string fresh = InvitationFixture::tokenIn(server.sent().back().text);
  REQUIRE(sessions.setPasswordWithLink(fresh, "just in time now", {}));
}

}  // namespace
}  // namespace vantus::controller
