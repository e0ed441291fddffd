#pragma once
// One UI request as the page handlers see it: the session (when signed in), the parsed form,
// and the ways to answer — a page, a redirect, an error page. Internal to controller/ui.
#include <httplib.h>

#include <optional>
#include <string>

#include "common/core/result.h"
#include "controller/ui/page_renderer.h"
#include "controller/ui/static_assets.h"
#include "controller/ui/ui_routes.h"
#include "controller/ui/web_security.h"

namespace vantus::controller::ui {

struct UiRequest {
  UiServices& services;
  const httplib::Request& http;
  httplib::Response& response;
  std::optional<ActiveSession> session;  // set for every handler behind requireSession
  FormFields form;                       // POST bodies

  const Caller& caller() const { return session->caller; }
  // Whether to show a control that needs `scope` (the service decides again when it is used).
  bool may(std::string_view scope, std::optional<Id> tenant_id) const;
  ClientInfo client() const;
  // Where links shown on a page start: public_url, else this request's scheme and Host.
  std::string siteUrl() const;
  // The numeric path segment `index`; kNotFound when it is not an id.
  Result<Id> pathId(std::size_t index) const;
  // A form field as a positive integer; kInvalidInput naming `field` otherwise.
  Result<std::int64_t> formInteger(const std::string& field, std::int64_t min,
                                   std::int64_t max) const;

  void page(int status, const std::string& title, const std::string& page_template,
            const PageRenderer::Fill& fill);
  void redirect(const std::string& location);
  // The error page for `error`: 403 "you lack the right…", 404, 400, 409, 429, 500.
  void errorPage(const Error& error);
};

using UiHandler = std::function<Result<void>(UiRequest&)>;

}  // namespace vantus::controller::ui
