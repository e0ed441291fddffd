#pragma once
// One plain-text e-mail and its wire form (RFC 5322, MIME text/plain UTF-8). Building the wire
// form is where header injection is refused: an address must be a plain ASCII addr-spec, and
// no header value may hold CR, LF or another control character. Pure functions; any thread.
#include <cstdint>
#include <string>
#include <string_view>

#include "common/core/result.h"

namespace vantus::controller::mail {

struct MailMessage {
  std::string from;       // addr-spec, e.g. "vantus@example.com"
  std::string from_name;  // display name; may be empty
  std::string to;         // addr-spec
  std::string subject;    // UTF-8, one line
  std::string text;       // UTF-8 body; "\n" or "\r\n" line ends
};

// `raw` if it is an addr-spec SMTP carries without extensions (dot-atom local part of
// printable ASCII, an RFC 1123 domain), at most 254 characters; kInvalidInput otherwise.
Result<std::string> parseMailAddress(std::string_view raw, std::string_view field = "to");

// The message as sent: headers (From, To, Subject, Date, Message-ID, MIME-Version,
// Content-Type, Content-Transfer-Encoding) with CRLF line ends, a blank line, the body.
// `message_id` is "<unique@domain>"; `unix_time` becomes the Date header. kInvalidInput
// (field names the header) for an invalid address, a header value holding a control
// character, or a body holding NUL or a line longer than SMTP allows.
Result<std::string> formatMailMessage(const MailMessage& message, std::int64_t unix_time,
                                      std::string_view message_id);

// "<random@domain of from>", 128 random bits.
Result<std::string> newMessageId(std::string_view from);

}  // namespace vantus::controller::mail
