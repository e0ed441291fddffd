#include "controller/mail/mail_message.h"

#include <doctest/doctest.h>

#include <vector>

#include "common/crypto/encoding.h"

namespace vantus::controller::mail {
namespace {

MailMessage aMessage() {
  return MailMessage{"vantus@example.com", "Vantus", "ada@example.org", "Set your password",
                     "Hello.\nOpen the link.\n"};
}

constexpr std::int64_t kFriday = 1796355957;  // 2026-12-04 03:45:57 UTC

TEST_CASE("a message has the headers of a plain-text UTF-8 e-mail and CRLF line ends") {
  auto wire = formatMailMessage(aMessage(), kFriday, "<abc@example.com>");
  REQUIRE(wire);
  CHECK(*wire ==
        "From: \"Vantus\" <vantus@example.com>\r\n"
        "To: ada@example.org\r\n"
        "Subject: Set your password\r\n"
        "Date: Fri, 04 Dec 2026 03:45:57 +0000\r\n"
        "Message-ID: <abc@example.com>\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=UTF-8\r\n"
        "Content-Transfer-Encoding: 8bit\r\n"
        "\r\n"
        "Hello.\r\nOpen the link.\r\n");
}

TEST_CASE("a CR or LF in any header value is refused, never folded into a new header") {
  for (const std::string& evil :
       std::vector<std::string>{"Hi\r\nBcc: eve@example.net", "Hi\nBcc: eve@example.net",
                                "Hi\rBcc: eve@example.net", std::string("Hi\0x", 4)}) {
    MailMessage subject = aMessage();
    subject.subject = evil;
    auto refused = formatMailMessage(subject, kFriday, "<a@b>");
    REQUIRE_FALSE(refused);
    CHECK(refused.error().field == "subject");

    MailMessage name = aMessage();
    name.from_name = evil;
    REQUIRE_FALSE(formatMailMessage(name, kFriday, "<a@b>"));
    CHECK_FALSE(formatMailMessage(aMessage(), kFriday, "<a@b>\r\nBcc: eve@example.net"));
  }
}

TEST_CASE("addresses must be plain ASCII addr-specs") {
  CHECK(parseMailAddress("ada.lovelace+vantus@mail.example.org"));
  CHECK(parseMailAddress("root@localhost"));
  for (const std::string& bad : std::vector<std::string>{
           "", "ada", "@example.org", "ada@", "ada@@example.org", "ada@example..org", ".ada@x.org",
           "ada lovelace@example.org", "ada@example.org\r\nBcc: eve@example.net",
           "ada@example.org>,<eve@example.net", "\"ada\"@example.org", "adé@example.org",
           "ada@-example.org", "ada@exa_mple.org", std::string(250, 'a') + "@x.org"}) {
    INFO(bad);
    auto refused = parseMailAddress(bad);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::kInvalidInput);
  }
  MailMessage to = aMessage();
  to.to = "ada@example.org\nBcc: eve@example.net";
  auto refused = formatMailMessage(to, kFriday, "<a@b>");
  REQUIRE_FALSE(refused);
  CHECK(refused.error().field == "to");
  MailMessage from = aMessage();
  from.from = "vantus@example.com>\r\nBcc: <eve@example.net";
  REQUIRE_FALSE(formatMailMessage(from, kFriday, "<a@b>"));
}

TEST_CASE("non-ASCII header text becomes RFC 2047 encoded words that keep characters whole") {
  MailMessage message = aMessage();
  message.subject = "Willkommen bei Müller & Söhne — Überblick über alle Mandanten und Grüße";
  message.from_name = "Vantus Überwachung";
  auto wire = formatMailMessage(message, kFriday, "<a@b>");
  REQUIRE(wire);
  CHECK(wire->find("From: =?UTF-8?B?" + crypto::base64Encode("Vantus Überwachung") +
                   "?= <vantus@example.com>\r\n") != std::string::npos);
  const std::size_t start = wire->find("Subject: ") + 9;
  const std::string subject = wire->substr(start, wire->find("\r\nDate:") - start);
  std::string decoded;
  std::size_t at = 0;
  int words = 0;
  while ((at = subject.find("=?UTF-8?B?", at)) != std::string::npos) {
    const std::size_t end = subject.find("?=", at);
    CHECK(end - at + 2 <= 75);
    auto bytes = crypto::base64Decode(subject.substr(at + 10, end - at - 10));
    REQUIRE(bytes);
    // Each word is valid UTF-8 on its own: it neither starts nor ends inside a sequence.
    CHECK((static_cast<unsigned char>(bytes->front()) & 0xc0) != 0x80);
    decoded += *bytes;
    at = end;
    ++words;
  }
  CHECK(words >= 2);
  CHECK(decoded == message.subject);
}

TEST_CASE("the body keeps its lines, ends with CRLF and refuses lines SMTP cannot carry") {
  MailMessage message = aMessage();
  message.text = "one\r\ntwo\rthree\n.\nlast";
  auto wire = formatMailMessage(message, kFriday, "<a@b>");
  REQUIRE(wire);
  CHECK(wire->ends_with("\r\n\r\none\r\ntwo\r\nthree\r\n.\r\nlast\r\n"));
  message.text = std::string(999, 'x');
  auto refused = formatMailMessage(message, kFriday, "<a@b>");
  REQUIRE_FALSE(refused);
  CHECK(refused.error().field == "text");
}

TEST_CASE("message ids are unique and carry the sender's domain") {
  auto first = newMessageId("vantus@example.com");
  auto second = newMessageId("vantus@example.com");
  REQUIRE(first);
  REQUIRE(second);
  CHECK(*first != *second);
  CHECK(first->starts_with("<"));
  CHECK(first->ends_with("@example.com>"));
}

}  // namespace
}  // namespace vantus::controller::mail
