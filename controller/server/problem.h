#pragma once
// RFC 9457 problem details (application/problem+json) for every error response.
#include <string_view>

#include "common/core/result.h"

namespace httplib {
struct Response;
}

namespace vantus::controller {

// The HTTP status an error of this kind is reported with.
int httpStatusFor(ErrorCode code);

// The standard reason phrase of `status` ("Not Found"), or "Error" for unknown codes.
std::string_view httpStatusTitle(int status);

// Sets `status` and a body {"type":"about:blank","title","status","detail"[,"field"]}.
void sendProblem(httplib::Response& response, int status, std::string_view title,
                 std::string_view detail, std::string_view field = {});

// sendProblem with the status and title for `error.code`. The message of an internal or
// I/O error is logged, not sent: it may name files or SQL.
void sendError(httplib::Response& response, const Error& error);

}  // namespace vantus::controller
