#pragma once
// The browser-facing rules of every UI response and form: security headers, the session
// cookie, same-origin and CSRF checks, safe redirect targets. Pure functions; thread-safe.
#include <httplib.h>

#include <optional>
#include <string>
#include <string_view>

#include "common/core/result.h"

namespace vantus::controller::ui {

using FormFields = httplib::Params;  // name -> value, a name may repeat

inline constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

// CSP, X-Frame-Options, Referrer-Policy, X-Content-Type-Options and, for pages with data,
// Cache-Control: no-store.
void setSecurityHeaders(httplib::Response& response, bool has_data = true);

// "__Host-vantus_session" under TLS (which requires Secure and Path=/), else "vantus_session".
std::string sessionCookieName(bool tls);
// A Set-Cookie value holding `session_id` (a browser-session cookie: the server ends it).
std::string sessionCookie(bool tls, std::string_view session_id);
// A Set-Cookie value that removes the session cookie.
std::string clearedSessionCookie(bool tls);
// The value of cookie `name` in a Cookie header, or nullopt.
std::optional<std::string> cookieValue(std::string_view cookie_header, std::string_view name);

// An application/x-www-form-urlencoded body.
FormFields parseForm(const std::string& body);
// The first value of `name`, or "".
std::string formValue(const FormFields& form, const std::string& name);

// kPermissionDenied unless the request comes from a page of this origin: Sec-Fetch-Site, when
// sent, is "same-origin", and Origin, when sent, is this host's (scheme from `tls`).
Result<void> checkSameOrigin(const httplib::Request& request, bool tls);
// checkSameOrigin() and the form's "csrf" field equal to `expected_token` (constant time).
Result<void> checkCsrf(const httplib::Request& request, const FormFields& form,
                       std::string_view expected_token, bool tls);

// `next` when it is a path of this site ("/…", not "//…" or "/\…"), else "/".
std::string safeNextPath(std::string_view next);

}  // namespace vantus::controller::ui
