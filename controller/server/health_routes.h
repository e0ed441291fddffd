#pragma once
// Liveness and readiness probes for systemd, load balancers and monitoring.
#include <functional>

#include "common/core/result.h"

namespace httplib {
class Server;
}

namespace vantus::controller {

// GET /healthz -> 200 {"status":"ok"} while the process serves HTTP.
// GET /readyz  -> 200 {"status":"ready"} when `readiness` succeeds, otherwise 503
//                 problem+json whose detail is the failing check's message.
// `readiness` runs on an HTTP worker thread for every probe; keep it cheap and thread-safe.
// An empty function counts as ready.
void addHealthRoutes(httplib::Server& server, std::function<Result<void>()> readiness);

}  // namespace vantus::controller
