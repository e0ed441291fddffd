#include "controller/server/health_routes.h"

#include <fmt/format.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "common/log/log.h"
#include "controller/server/problem.h"

namespace vantus::controller {

void addHealthRoutes(httplib::Server& server, std::vector<ReadinessCheck> checks) {
  server.Get("/healthz", [](const httplib::Request&, httplib::Response& response) {
    response.set_header("Cache-Control", "no-store");
    response.set_content(R"({"status":"ok"})", "application/json");
  });
  server.Get("/readyz", [checks = std::move(checks)](const httplib::Request&,
                                                     httplib::Response& response) {
    response.set_header("Cache-Control", "no-store");
    nlohmann::json states = nlohmann::json::object();
    std::vector<std::string> failed;
    for (const ReadinessCheck& check : checks) {
      Result<void> passed = check.run ? check.run() : ok();
      if (!passed) {
        log::warn("readyz.check_failed",
                  {{"check", check.name}, {"error", passed.error().describe()}});
        failed.push_back(check.name);
      }
      states[check.name] = passed ? "ok" : "failing";
    }
    if (failed.empty()) {
      response.set_content(R"({"status":"ready"})", "application/json");
      return;
    }
    nlohmann::json body = {
        {"type", "about:blank"},
        {"title", httpStatusTitle(503)},
        {"status", 503},
        {"detail", fmt::format("not ready: {} failing; the controller's log has the details",
                               fmt::join(failed, ", "))},
        {"checks", states},
        {"failed", failed},
    };
    response.status = 503;
    response.set_content(body.dump(), "application/problem+json");
  });
}

void addHealthRoutes(httplib::Server& server, std::function<Result<void>()> readiness) {
  addHealthRoutes(server, std::vector<ReadinessCheck>{{"controller", std::move(readiness)}});
}

}  // namespace vantus::controller
