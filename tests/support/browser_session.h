#pragma once
// A scripted browser for the web UI's tests: one loopback HTTP client with a cookie jar, form
// posts (application/x-www-form-urlencoded) that send this origin's Origin header, and the
// CSRF token read from the last page. No JavaScript; redirects are not followed, so a test
// sees each 303.
#include <httplib.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace vantus::testing {

using FormList = std::vector<std::pair<std::string, std::string>>;

class BrowserSession {
 public:
  explicit BrowserSession(int port) : port_(port) {}

  httplib::Result get(const std::string& path, httplib::Headers headers = {});
  // Adds csrf=<token of the last page> first unless `with_csrf` is false.
  httplib::Result post(const std::string& path, FormList fields, bool with_csrf = true,
                       httplib::Headers headers = {});
  // Signs in with the form and expects the 303; returns where it leads.
  std::string signIn(const std::string& email, const std::string& password,
                     const std::string& next = "/");

  const std::string& csrf() const { return csrf_; }
  std::string cookie(const std::string& name) const;
  void setCookie(const std::string& name, const std::string& value) { cookies_[name] = value; }
  std::string origin() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  httplib::Headers withCookies(httplib::Headers headers) const;
  void remember(const httplib::Result& result);

  int port_;
  std::map<std::string, std::string> cookies_;
  std::string csrf_;
};

// The value of the first `name="csrf" value="…"` of `html`, or "".
std::string csrfTokenIn(const std::string& html);

}  // namespace vantus::testing
