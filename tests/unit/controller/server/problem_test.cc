#include "controller/server/problem.h"

#include <doctest/doctest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "common/log/log.h"

namespace vantus::controller {
namespace {

TEST_CASE("error codes map to HTTP statuses") {
  CHECK(httpStatusFor(ErrorCode::kInvalidInput) == 400);
  CHECK(httpStatusFor(ErrorCode::kUnauthenticated) == 401);
  CHECK(httpStatusFor(ErrorCode::kPermissionDenied) == 403);
  CHECK(httpStatusFor(ErrorCode::kNotFound) == 404);
  CHECK(httpStatusFor(ErrorCode::kAlreadyExists) == 409);
  CHECK(httpStatusFor(ErrorCode::kConflict) == 409);
  CHECK(httpStatusFor(ErrorCode::kFailedPrecondition) == 409);
  CHECK(httpStatusFor(ErrorCode::kTooLarge) == 413);
  CHECK(httpStatusFor(ErrorCode::kVerificationFailed) == 422);
  CHECK(httpStatusFor(ErrorCode::kRateLimited) == 429);
  CHECK(httpStatusFor(ErrorCode::kUnavailable) == 503);
  CHECK(httpStatusFor(ErrorCode::kIo) == 500);
  CHECK(httpStatusFor(ErrorCode::kInternal) == 500);
}

TEST_CASE("a problem has the RFC 9457 members and the field when given") {
  httplib::Response response;
  sendProblem(response, 400, "Bad Request", "domain \"a b\" is not a hostname", "domains[0]");
  CHECK(response.status == 400);
  CHECK(response.get_header_value("Content-Type") == "application/problem+json");
  auto body = nlohmann::json::parse(response.body);
  CHECK(body == nlohmann::json{{"type", "about:blank"},
                               {"title", "Bad Request"},
                               {"status", 400},
                               {"detail", "domain \"a b\" is not a hostname"},
                               {"field", "domains[0]"}});

  httplib::Response plain;
  sendProblem(plain, 404, "Not Found", "no tenant 7");
  CHECK_FALSE(nlohmann::json::parse(plain.body).contains("field"));
}

TEST_CASE("invalid UTF-8 in a detail does not throw") {
  httplib::Response response;
  sendProblem(response, 400, "Bad Request", "bad byte \xff here");
  CHECK(nlohmann::json::parse(response.body)["detail"].is_string());
}

TEST_CASE("sendError reports user-facing errors and hides internal ones") {
  httplib::Response invalid;
  sendError(invalid, Error{ErrorCode::kInvalidInput, "must be 1..65535", "port"});
  auto body = nlohmann::json::parse(invalid.body);
  CHECK(invalid.status == 400);
  CHECK(body["title"] == "Bad Request");
  CHECK(body["detail"] == "must be 1..65535");
  CHECK(body["field"] == "port");

  std::string logged;
  log::setSink([&](std::string_view line) { logged.append(line); });
  httplib::Response internal;
  sendError(internal, Error{ErrorCode::kIo, "cannot open /var/lib/vantus/vantus.db", ""});
  log::setSink(nullptr);
  CHECK(logged.find("cannot open /var/lib/vantus/vantus.db") != std::string::npos);
  CHECK(internal.status == 500);
  CHECK(internal.body.find("/var/lib") == std::string::npos);
  CHECK(nlohmann::json::parse(internal.body)["title"] == "Internal Server Error");
}

}  // namespace
}  // namespace vantus::controller
