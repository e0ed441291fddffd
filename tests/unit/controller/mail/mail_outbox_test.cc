#include "controller/mail/mail_outbox.h"

#include <doctest/doctest.h>

#include <vector>

#include "controller/mail/link_mail.h"
#include "tests/support/fake_mailer.h"

namespace vantus::controller::mail {
namespace {

using testing::FakeMailer;

MailMessage to(const std::string& address) {
  return MailMessage{"vantus@example.com", "", address, "hello", "text"};
}

TEST_CASE("the outbox sends in the background, in order, and refuses beyond its capacity") {
  FakeMailer server;
  server.hold();
  MailOutbox outbox(server, 2);
  REQUIRE(outbox.send(to("a@example.org")));
  // The first may already be in flight: at most capacity wait, one more is refused.
  std::vector<bool> queued;
  for (int i = 0; i < 3; ++i) {
    queued.push_back(static_cast<bool>(outbox.send(to("b@example.org"))));
  }
  CHECK_FALSE(queued.back());
  auto full = outbox.send(to("c@example.org"));
  REQUIRE_FALSE(full);
  CHECK(full.error().code == ErrorCode::kUnavailable);
  CHECK(full.error().message.find("queue is full") != std::string::npos);
  server.release();
  REQUIRE(outbox.waitIdle(std::chrono::seconds(10)));
  std::vector<MailMessage> sent = server.sent();
  REQUIRE(sent.size() >= 2);
  CHECK(sent.front().to == "a@example.org");
}

TEST_CASE("a failed send is not retried and does not stop the next one") {
  FakeMailer server;
  MailOutbox outbox(server, 8);
  server.failing(true);
  REQUIRE(outbox.send(to("lost@example.org")));
  REQUIRE(outbox.waitIdle(std::chrono::seconds(10)));
  server.failing(false);
  REQUIRE(outbox.send(to("next@example.org")));
  REQUIRE(outbox.waitIdle(std::chrono::seconds(10)));
  REQUIRE(server.sent().size() == 1);
  CHECK(server.sent().front().to == "next@example.org");
}

TEST_CASE("link e-mails carry the link under the public URL and say how long it works") {
  FakeMailer server;
  LinkMail links(server, MailSender{"vantus@example.com", "Vantus", "https://vantus.example.com"});
  REQUIRE(links.sendPasswordLink("ada@example.org", "TOKEN", 30 * 60));
  REQUIRE(links.sendInvitation("bob@example.org", "Acme", "ada@example.org", "INVITE", 7 * 86400));
  std::vector<MailMessage> sent = server.sent();
  REQUIRE(sent.size() == 2);
  CHECK(sent[0].to == "ada@example.org");
  CHECK(sent[0].from == "vantus@example.com");
  CHECK(sent[0].text.find("https://vantus.example.com/reset/TOKEN\n") != std::string::npos);
  CHECK(sent[0].text.find("30 minutes") != std::string::npos);
  CHECK(sent[1].subject == "You are invited to Acme on Vantus");
  CHECK(sent[1].text.find("https://vantus.example.com/invitations/INVITE\n") != std::string::npos);
  CHECK(sent[1].text.find("7 days") != std::string::npos);
  CHECK(describeDuration(3600) == "1 hour");
}

}  // namespace
}  // namespace vantus::controller::mail
