#include "controller/server/health_routes.h"

#include <httplib.h>

#include "controller/server/problem.h"

namespace vantus::controller {

void addHealthRoutes(httplib::Server& server, std::function<Result<void>()> readiness) {
  server.Get("/healthz", [](const httplib::Request&, httplib::Response& response) {
    response.set_header("Cache-Control", "no-store");
    response.set_content(R"({"status":"ok"})", "application/json");
  });
  server.Get("/readyz", [readiness = std::move(readiness)](const httplib::Request&,
                                                           httplib::Response& response) {
    response.set_header("Cache-Control", "no-store");
    Result<void> ready = readiness ? readiness() : ok();
    if (!ready) {
      sendProblem(response, 503, httpStatusTitle(503), ready.error().describe());
      return;
    }
    response.set_content(R"({"status":"ready"})", "application/json");
  });
}

}  // namespace vantus::controller
