#include "controller/mail/mail_message.h"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>

#include "common/crypto/encoding.h"
#include "common/crypto/hash.h"

namespace vantus::controller::mail {

namespace {

constexpr std::size_t kMaxAddress = 254;
constexpr std::size_t kMaxLine = 998;
constexpr std::size_t kMaxHeaderValue = 500;  // RFC 5322 §2.1.1, without the CRLF
// 45 bytes become 60 base64 characters: an encoded word stays under 75 (RFC 2047 §2).
constexpr std::size_t kEncodedChunk = 45;

bool isAtext(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$%&'*+/=?^_`{|}~-").find(c) != std::string_view::npos;
}

bool isDotAtom(std::string_view text, bool (*allowed)(char)) {
  if (text.empty() || text.front() == '.' || text.back() == '.' ||
      text.find("..") != std::string_view::npos) {
    return false;
  }
  return std::all_of(text.begin(), text.end(), [&](char c) { return c == '.' || allowed(c); });
}

bool isDomainChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

bool isHostname(std::string_view domain) {
  if (!isDotAtom(domain, isDomainChar) || domain.size() > 253) {
    return false;
  }
  std::size_t start = 0;
  while (start <= domain.size()) {
    std::size_t end = domain.find('.', start);
    std::string_view label =
        domain.substr(start, end == std::string_view::npos ? end : end - start);
    if (label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    if (end == std::string_view::npos) {
      break;
    }
    start = end + 1;
  }
  return true;
}

bool hasControlCharacter(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7f;
  });
}

bool isAscii(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// The length of the UTF-8 sequence that starts with `lead` (1 for a stray byte).
std::size_t sequenceLength(unsigned char lead) {
  if (lead >= 0xf0) {
    return 4;
  }
  if (lead >= 0xe0) {
    return 3;
  }
  if (lead >= 0xc0) {
    return 2;
  }
  return 1;
}

// Printable ASCII as is; anything else as RFC 2047 encoded words, folded, never splitting a
// UTF-8 sequence between two words.
std::string headerText(std::string_view text) {
  if (isAscii(text)) {
    return std::string(text);
  }
  std::string encoded;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = at;
    while (end < text.size()) {
      const std::size_t next = end + sequenceLength(static_cast<unsigned char>(text[end]));
      if (next - at > kEncodedChunk) {
        break;
      }
      end = std::min(next, text.size());
    }
    if (!encoded.empty()) {
      encoded += "\r\n ";
    }
    encoded += "=?UTF-8?B?" + crypto::base64Encode(text.substr(at, end - at)) + "?=";
    at = end;
  }
  return encoded;
}

Result<void> plainHeaderValue(std::string_view value, std::string_view header) {
  if (hasControlCharacter(value) || value.size() > kMaxHeaderValue) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("the {} header must be one line of at most {} bytes without control "
                            "characters",
                            header, kMaxHeaderValue),
                std::string(header));
  }
  return ok();
}

std::string mailbox(std::string_view name, std::string_view address) {
  if (name.empty()) {
    return std::string(address);
  }
  if (isAscii(name)) {
    std::string quoted = "\"";
    for (char c : name) {
      if (c == '"' || c == '\\') {
        quoted += '\\';
      }
      quoted += c;
    }
    return fmt::format("{}\" <{}>", quoted, address);
  }
  return fmt::format("{} <{}>", headerText(name), address);
}

std::string rfc5322Date(std::int64_t unix_time) {
  const std::time_t time = static_cast<std::time_t>(unix_time);
  std::tm utc{};
  gmtime_r(&time, &utc);
  static constexpr std::string_view kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  return fmt::format("{}, {:02} {} {} {:02}:{:02}:{:02} +0000", kDays[utc.tm_wday], utc.tm_mday,
                     kMonths[utc.tm_mon], utc.tm_year + 1900, utc.tm_hour, utc.tm_min, utc.tm_sec);
}

Result<std::string> bodyWithCrlf(std::string_view text) {
  if (text.find('\0') != std::string_view::npos) {
    return fail(ErrorCode::kInvalidInput, "the message text must not contain NUL", "text");
  }
  std::string body;
  std::size_t line_length = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      continue;
    }
    if (c == '\n' || c == '\r') {
      body += "\r\n";
      line_length = 0;
      continue;
    }
    if (++line_length > kMaxLine) {
      return fail(ErrorCode::kInvalidInput,
                  fmt::format("a line of the message text is longer than {} bytes", kMaxLine),
                  "text");
    }
    body += c;
  }
  if (!body.ends_with("\r\n")) {
    body += "\r\n";
  }
  return body;
}

}  // namespace

Result<std::string> parseMailAddress(std::string_view raw, std::string_view field) {
  const std::size_t at = raw.rfind('@');
  const bool valid = at != std::string_view::npos && raw.size() <= kMaxAddress &&
                     isDotAtom(raw.substr(0, at), isAtext) && isHostname(raw.substr(at + 1));
  if (!valid) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("{:?} is not an e-mail address this controller can send to (plain "
                            "ASCII name@domain, at most {} characters)",
                            raw, kMaxAddress),
                std::string(field));
  }
  return std::string(raw);
}

Result<std::string> formatMailMessage(const MailMessage& message, std::int64_t unix_time,
                                      std::string_view message_id) {
  VANTUS_TRY(std::string from, parseMailAddress(message.from, "from"));
  VANTUS_TRY(std::string to, parseMailAddress(message.to, "to"));
  VANTUS_TRY_VOID(plainHeaderValue(message.from_name, "from_name"));
  VANTUS_TRY_VOID(plainHeaderValue(message.subject, "subject"));
  VANTUS_TRY_VOID(plainHeaderValue(message_id, "message_id"));
  VANTUS_TRY(std::string body, bodyWithCrlf(message.text));
  return fmt::format(
      "From: {}\r\nTo: {}\r\nSubject: {}\r\nDate: {}\r\nMessage-ID: {}\r\nMIME-Version: 1.0\r\n"
      "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{}",
      mailbox(message.from_name, from), to, headerText(message.subject), rfc5322Date(unix_time),
      message_id, body);
}

Result<std::string> newMessageId(std::string_view from) {
  VANTUS_TRY(std::string random, crypto::randomBytes(16));
  const std::size_t at = from.rfind('@');
  const std::string_view domain =
      at == std::string_view::npos ? std::string_view("vantus.local") : from.substr(at + 1);
  return fmt::format("<{}@{}>", crypto::hexEncode(random), domain);
}

}  // namespace vantus::controller::mail
