#include "controller/server/problem.h"

#include <httplib.h>

#include <nlohmann/json.hpp>

#include "common/log/log.h"

namespace vantus::controller {

int httpStatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidInput:
      return 400;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kPermissionDenied:
      return 403;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kAlreadyExists:
      return 409;
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kFailedPrecondition:
      return 409;
    case ErrorCode::kStaleRevision:
      return 412;
    case ErrorCode::kTooLarge:
      return 413;
    case ErrorCode::kVerificationFailed:
      return 422;
    case ErrorCode::kRateLimited:
      return 429;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kIo:
      return 500;
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

std::string_view httpStatusTitle(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 411:
      return "Length Required";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Content Too Large";
    case 414:
      return "URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 416:
      return "Range Not Satisfiable";
    case 422:
      return "Unprocessable Content";
    case 428:
      return "Precondition Required";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Error";
  }
}

void sendProblem(httplib::Response& response, int status, std::string_view title,
                 std::string_view detail, std::string_view field) {
  nlohmann::json body = {
      {"type", "about:blank"},
      {"title", title},
      {"status", status},
      {"detail", detail},
  };
  if (!field.empty()) {
    body["field"] = field;
  }
  response.status = status;
  // `replace` instead of throwing: a detail may quote user input that is not UTF-8.
  response.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                       "application/problem+json");
}

void sendError(httplib::Response& response, const Error& error) {
  int status = httpStatusFor(error.code);
  if (error.code == ErrorCode::kInternal || error.code == ErrorCode::kIo) {
    log::error("http.internal_error",
               {{"code", errorCodeName(error.code)}, {"message", error.message}});
    sendProblem(response, status, httpStatusTitle(status),
                "the controller could not complete the request; its log has the details");
    return;
  }
  sendProblem(response, status, httpStatusTitle(status), error.message, error.field);
}

}  // namespace vantus::controller
