#include "controller/ui/web_security.h"

#include <doctest/doctest.h>

namespace vantus::controller::ui {
namespace {

httplib::Request postFrom(std::initializer_list<std::pair<std::string, std::string>> headers) {
  httplib::Request request;
  request.method = "POST";
  request.headers.emplace("Host", "127.0.0.1:8440");
  for (const auto& [name, value] : headers) {
    request.headers.emplace(name, value);
  }
  return request;
}

TEST_CASE("every page gets the security headers; pages with data are not stored") {
  httplib::Response page;
  setSecurityHeaders(page);
  CHECK(page.get_header_value("Content-Security-Policy") ==
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
  CHECK(page.get_header_value("X-Frame-Options") == "DENY");
  CHECK(page.get_header_value("Referrer-Policy") == "same-origin");
  CHECK(page.get_header_value("X-Content-Type-Options") == "nosniff");
  CHECK(page.get_header_value("Cache-Control") == "no-store");
  httplib::Response asset;
  setSecurityHeaders(asset, /*has_data=*/false);
  CHECK(asset.get_header_value("X-Content-Type-Options") == "nosniff");
  CHECK_FALSE(asset.has_header("Cache-Control"));
}

TEST_CASE("the session cookie is __Host- and Secure under TLS, HttpOnly and Lax always") {
  CHECK(sessionCookie(false, "abc") == "vantus_session=abc; Path=/; HttpOnly; SameSite=Lax");
  CHECK(sessionCookie(true, "abc") ==
        "__Host-vantus_session=abc; Path=/; HttpOnly; SameSite=Lax; Secure");
  CHECK(clearedSessionCookie(false).find("Max-Age=0") != std::string::npos);
  CHECK(clearedSessionCookie(true).starts_with("__Host-vantus_session=;"));
}

TEST_CASE("the cookie is found among others, and only by its exact name") {
  CHECK(cookieValue("a=1; vantus_session=xyz; b=2", "vantus_session") == "xyz");
  CHECK(cookieValue("vantus_session=xyz", "vantus_session") == "xyz");
  CHECK_FALSE(cookieValue("xvantus_session=xyz", "vantus_session"));
  CHECK_FALSE(cookieValue("", "vantus_session"));
}

TEST_CASE("a form post needs this site's token, origin and fetch site") {
  const FormFields good = parseForm("csrf=token-1&name=x");
  CHECK(checkCsrf(postFrom({}), good, "token-1", false));
  CHECK(
      checkCsrf(postFrom({{"Origin", "http://127.0.0.1:8440"}, {"Sec-Fetch-Site", "same-origin"}}),
                good, "token-1", false));

  struct Refused {
    const char* why;
    httplib::Request request;
    FormFields form;
  };
  const std::vector<Refused> refused = {
      {"no token", postFrom({}), parseForm("name=x")},
      {"empty token", postFrom({}), parseForm("csrf=&name=x")},
      {"another session's token", postFrom({}), parseForm("csrf=token-2")},
      {"another origin", postFrom({{"Origin", "http://evil.example"}}), good},
      {"https origin on plain http", postFrom({{"Origin", "https://127.0.0.1:8440"}}), good},
      {"opaque origin", postFrom({{"Origin", "null"}}), good},
      {"cross-site fetch", postFrom({{"Sec-Fetch-Site", "cross-site"}}), good},
      {"same-site, other origin", postFrom({{"Sec-Fetch-Site", "same-site"}}), good},
  };
  for (const Refused& attempt : refused) {
    CAPTURE(attempt.why);
    Result<void> checked = checkCsrf(attempt.request, attempt.form, "token-1", false);
    REQUIRE_FALSE(checked);
    CHECK(checked.error().code == ErrorCode::kPermissionDenied);
  }
  CHECK(checkCsrf(postFrom({{"Origin", "https://127.0.0.1:8440"}}), good, "token-1", true));
}

TEST_CASE("after sign-in only a path of this site is a redirect target") {
  CHECK(safeNextPath("/tenants/3?x=1") == "/tenants/3?x=1");
  for (const char* bad : {"", "//evil.example/", "/\\evil.example", "https://evil.example/",
                          "tenants", "/a\r\nSet-Cookie: x=1"}) {
    CAPTURE(bad);
    CHECK(safeNextPath(bad) == "/");
  }
}

TEST_CASE("form fields are decoded and may repeat") {
  const FormFields form = parseForm("header_name=X-A&header_name=X-B&v=a%20b%2B%3C&w=a+b");
  CHECK(form.count("header_name") == 2);
  CHECK(formValue(form, "v") == "a b+<");
  CHECK(formValue(form, "w") == "a b");
  CHECK(formValue(form, "missing").empty());
}

}  // namespace
}  // namespace vantus::controller::ui
