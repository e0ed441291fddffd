#include "controller/ui/web_security.h"

#include <fmt/format.h>

#include "common/crypto/hash.h"

namespace vantus::controller::ui {

void setSecurityHeaders(httplib::Response& response, bool has_data) {
  response.set_header("Content-Security-Policy", std::string(kContentSecurityPolicy));
  response.set_header("X-Frame-Options", "DENY");
  response.set_header("Referrer-Policy", "same-origin");
  response.set_header("X-Content-Type-Options", "nosniff");
  if (has_data) {
    response.set_header("Cache-Control", "no-store");
  }
}

std::string sessionCookieName(bool tls) { return tls ? "__Host-vantus_session" : "vantus_session"; }

std::string sessionCookie(bool tls, std::string_view session_id) {
  return fmt::format("{}={}; Path=/; HttpOnly; SameSite=Lax{}", sessionCookieName(tls), session_id,
                     tls ? "; Secure" : "");
}

std::string clearedSessionCookie(bool tls) {
  return fmt::format("{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}", sessionCookieName(tls),
                     tls ? "; Secure" : "");
}

std::optional<std::string> cookieValue(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const size_t semicolon = header.find(';');
    std::string_view pair = header.substr(0, semicolon);
    header =
        semicolon == std::string_view::npos ? std::string_view() : header.substr(semicolon + 1);
    while (!pair.empty() && pair.front() == ' ') {
      pair.remove_prefix(1);
    }
    const size_t equals = pair.find('=');
    if (equals != std::string_view::npos && pair.substr(0, equals) == name) {
      return std::string(pair.substr(equals + 1));
    }
  }
  return std::nullopt;
}

FormFields parseForm(const std::string& body) {
  FormFields form;
  httplib::detail::parse_query_text(body, form);
  return form;
}

std::string formValue(const FormFields& form, const std::string& name) {
  auto it = form.find(name);
  return it == form.end() ? std::string() : it->second;
}

Result<void> checkSameOrigin(const httplib::Request& request, bool tls) {
  if (request.has_header("Sec-Fetch-Site")) {
    const std::string site = request.get_header_value("Sec-Fetch-Site");
    if (site != "same-origin") {
      return fail(ErrorCode::kPermissionDenied,
                  fmt::format("the form was sent from another site (Sec-Fetch-Site: {})", site));
    }
  }
  if (request.has_header("Origin")) {
    const std::string expected =
        fmt::format("{}://{}", tls ? "https" : "http", request.get_header_value("Host"));
    if (request.get_header_value("Origin") != expected) {
      return fail(ErrorCode::kPermissionDenied, "the form was sent from another origin");
    }
  }
  return ok();
}

Result<void> checkCsrf(const httplib::Request& request, const FormFields& form,
                       std::string_view expected_token, bool tls) {
  VANTUS_TRY_VOID(checkSameOrigin(request, tls));
  const std::string sent = formValue(form, "csrf");
  if (sent.empty() || expected_token.empty() || !crypto::constantTimeEquals(sent, expected_token)) {
    return fail(ErrorCode::kPermissionDenied,
                "the form's security token is missing or stale: reload the page and try again");
  }
  return ok();
}

std::string safeNextPath(std::string_view next) {
  if (next.size() < 1 || next.front() != '/' || next.starts_with("//") || next.starts_with("/\\") ||
      next.find_first_of("\r\n") != std::string_view::npos) {
    return "/";
  }
  return std::string(next);
}

}  // namespace vantus::controller::ui
