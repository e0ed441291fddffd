#include "tests/support/browser_session.h"

#include <doctest/doctest.h>

namespace vantus::testing {

std::string csrfTokenIn(const std::string& html) {
  const std::string marker = "name=\"csrf\" value=\"";
  const size_t at = html.find(marker);
  if (at == std::string::npos) {
    return "";
  }
  const size_t start = at + marker.size();
  return html.substr(start, html.find('"', start) - start);
}

httplib::Headers BrowserSession::withCookies(httplib::Headers headers) const {
  std::string jar;
  for (const auto& [name, value] : cookies_) {
    jar += (jar.empty() ? "" : "; ") + name + "=" + value;
  }
  if (!jar.empty()) {
    headers.emplace("Cookie", jar);
  }
  return headers;
}

void BrowserSession::remember(const httplib::Result& result) {
  if (!result) {
    return;
  }
  auto [begin, end] = result->headers.equal_range("Set-Cookie");
  for (auto it = begin; it != end; ++it) {
    const std::string& line = it->second;
    const size_t equals = line.find('=');
    const size_t semicolon = line.find(';');
    const std::string name = line.substr(0, equals);
    const std::string value = line.substr(equals + 1, semicolon - equals - 1);
    if (value.empty() || line.find("Max-Age=0") != std::string::npos) {
      cookies_.erase(name);
    } else {
      cookies_[name] = value;
    }
  }
  if (const std::string token = csrfTokenIn(result->body); !token.empty()) {
    csrf_ = token;
  }
}

httplib::Result BrowserSession::get(const std::string& path, httplib::Headers headers) {
  httplib::Client client("127.0.0.1", port_);
  client.set_read_timeout(60, 0);
  httplib::Result result = client.Get(path.c_str(), withCookies(std::move(headers)));
  remember(result);
  return result;
}

httplib::Result BrowserSession::post(const std::string& path, FormList fields, bool with_csrf,
                                     httplib::Headers headers) {
  std::string body;
  if (with_csrf) {
    fields.insert(fields.begin(), {"csrf", csrf_});
  }
  for (const auto& [name, value] : fields) {
    body += (body.empty() ? "" : "&") + httplib::detail::encode_query_param(name) + "=" +
            httplib::detail::encode_query_param(value);
  }
  if (headers.find("Origin") == headers.end()) {
    headers.emplace("Origin", origin());
  }
  httplib::Client client("127.0.0.1", port_);
  client.set_read_timeout(120, 0);
  httplib::Result result = client.Post(path.c_str(), withCookies(std::move(headers)), body,
                                       "application/x-www-form-urlencoded");
  remember(result);
  return result;
}

std::string BrowserSession::signIn(const std::string& email, const std::string& password,
                                   const std::string& next) {
  REQUIRE(get("/login"));
  auto result = post("/login", {{"email", email}, {"password", password}, {"next", next}},
                     /*with_csrf=*/false);
  REQUIRE(result);
  REQUIRE_MESSAGE(result->status == 303, result->body);
  return result->get_header_value("Location");
}

std::string BrowserSession::cookie(const std::string& name) const {
  auto it = cookies_.find(name);
  return it == cookies_.end() ? "" : it->second;
}

}  // namespace vantus::testing
