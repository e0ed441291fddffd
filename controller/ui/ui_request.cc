#include "controller/ui/ui_request.h"

#include <fmt/format.h>

#include <charconv>

#include "controller/auth/rights.h"
#include "controller/server/client_address.h"

namespace vantus::controller::ui {

namespace {

struct ErrorText {
  int status;
  std::string headline;
  std::string advice;
};

ErrorText errorTextOf(const Error& error) {
  switch (error.code) {
    case ErrorCode::kInvalidInput:
      return {400, "That value was not accepted", "Go back, correct the field and send it again."};
    case ErrorCode::kNotFound:
      return {404, "Not found",
              "It does not exist, or you may not see it. Check the address or start from the "
              "tenant list."};
    case ErrorCode::kPermissionDenied:
      return {403, "You lack the right to do this",
              "Your role does not allow it. Ask an owner or a platform admin of this tenant."};
    case ErrorCode::kAlreadyExists:
    case ErrorCode::kConflict:
    case ErrorCode::kFailedPrecondition:
    case ErrorCode::kStaleRevision:
      return {409, "This cannot be done now", "Read the reason, change what it names, then retry."};
    case ErrorCode::kRateLimited:
      return {429, "Too many attempts", "Wait a moment, then try again."};
    case ErrorCode::kUnauthenticated:
      return {401, "Sign in first", "Your session has ended. Sign in again."};
    default:
      return {500, "Something went wrong on the controller",
              "Try again; if it persists, the controller's log has the details."};
  }
}

}  // namespace

bool UiRequest::may(std::string_view scope, std::optional<Id> tenant_id) const {
  return session && mayUse(session->caller.principal, scope, tenant_id);
}

ClientInfo UiRequest::client() const {
  return ClientInfo{clientAddress(http, services.proxies), http.get_header_value("User-Agent")};
}

std::string UiRequest::siteUrl() const {
  if (!services.public_url.empty()) {
    return services.public_url;
  }
  return fmt::format("{}://{}", services.tls ? "https" : "http", http.get_header_value("Host"));
}

Result<Id> UiRequest::pathId(std::size_t index) const {
  const std::string& text = http.matches[index];
  Id id = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (error != std::errc() || end != text.data() + text.size() || id <= 0) {
    return fail(ErrorCode::kNotFound, "no such page");
  }
  return id;
}

Result<std::int64_t> UiRequest::formInteger(const std::string& field, std::int64_t min,
                                            std::int64_t max) const {
  const std::string text = formValue(form, field);
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || value < min ||
      value > max) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("{:?} is not a whole number from {} to {}", text, min, max), field);
  }
  return value;
}

void UiRequest::page(int status, const std::string& title, const std::string& page_template,
                     const PageRenderer::Fill& fill) {
  PageFrame frame;
  frame.title = title;
  frame.css_url = services.assets.css().url;
  frame.js_url = services.assets.js().url;
  if (session) {
    frame.user_email = session->caller.principal.user.email;
    frame.csrf_token = session->csrf_token;
    frame.show_edges = may("edges:read", std::nullopt);
    frame.show_audit = may("audit:read", std::nullopt);
  }
  Result<std::string> html = services.pages.render(page_template, frame, fill);
  if (!html) {
    response.status = 500;
    response.set_content("the page could not be rendered", "text/plain; charset=utf-8");
    return;
  }
  response.status = status;
  response.set_content(std::move(*html), "text/html; charset=utf-8");
}

void UiRequest::redirect(const std::string& location) {
  response.status = 303;
  response.set_header("Location", location);
  response.set_content("", "text/plain");
}

void UiRequest::errorPage(const Error& error) {
  const ErrorText text = errorTextOf(error);
  const std::string message = error.describe();
  page(text.status, text.headline, "error.tpl", [&](ctemplate::TemplateDictionary& page) {
    page.SetIntValue("STATUS", text.status);
    page.SetValue("HEADLINE", tplString(text.headline));
    page.SetValue("MESSAGE", tplString(message));
    page.SetValue("ADVICE", tplString(text.advice));
  });
  if (error.code == ErrorCode::kRateLimited) {
    response.set_header("Retry-After", "60");
  }
}

}  // namespace vantus::controller::ui
