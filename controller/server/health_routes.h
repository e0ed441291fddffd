#pragma once
// Liveness and readiness probes for systemd, load balancers and monitoring.
#include <functional>
#include <string>
#include <vector>

#include "common/core/result.h"

namespace httplib {
class Server;
}

namespace vantus::controller {

// One named readiness check ("database", "repository", "signing_key").
struct ReadinessCheck {
  std::string name;
  std::function<Result<void>()> run;
};

// GET /healthz -> 200 {"status":"ok"} while the process serves HTTP.
// GET /readyz  -> 200 {"status":"ready"} when every check succeeds, otherwise 503
//                 problem+json with "checks": {"<name>": "ok" | "failing"}, "failed": [names]
//                 and a detail naming them. A check's error
//                 message is logged (readyz.check_failed), never sent: it may name files or SQL.
// The checks run in order on an HTTP worker thread for every probe; keep them cheap and
// thread-safe.
void addHealthRoutes(httplib::Server& server, std::vector<ReadinessCheck> checks);

// As above with one check named "controller"; an empty function counts as ready.
void addHealthRoutes(httplib::Server& server, std::function<Result<void>()> readiness);

}  // namespace vantus::controller
