#include "controller/app/serve.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <ctime>

#include "common/core/files.h"
#include "common/http/http_client.h"
#include "common/log/log.h"
#include "common/process/termination_signal.h"
#include "controller/api/agent_routes.h"
#include "controller/api/api_routes.h"
#include "controller/fleet/desired_releases.h"
#include "controller/server/health_routes.h"
#include "controller/server/http_server.h"

namespace vantus::controller {

Result<void> serve(ControllerApp& app, const std::optional<HostPort>& listen_override) {
  log::setLevel(app.config().log_level);
  const HostPort listen = listen_override.value_or(app.config().listen);
  VANTUS_TRY(std::size_t reconciled, app.deployments().reconcile());
  if (reconciled > 0) {
    log::warn("controller.reconciled", {{"releases", reconciled}});
  }
  const bool tls = !app.config().tls_cert_file.empty();
  if (!tls && !http::isLoopbackHost(listen.host)) {
    if (!app.config().allow_plain_http) {
      return fail(ErrorCode::kInvalidInput,
                  fmt::format("{} is not a loopback address and no tls_cert_file/tls_key_file is "
                              "set: agents would send their credentials in clear. Configure TLS "
                              "in controller.yaml, or set allow_plain_http: true behind a "
                              "TLS-terminating proxy",
                              listen.toString()),
                  "listen");
    }
    log::warn("controller.plain_http",
              {{"listen", listen.toString()},
               {"risk", "API tokens and node credentials travel unencrypted"}});
  }
  HttpServerOptions options;
  options.tls_cert_file = app.config().tls_cert_file;
  options.tls_key_file = app.config().tls_key_file;
  // Long-polling agents each hold a worker while they wait; the waiters stay bounded below
  // the pool so that ordinary requests always find a free worker.
  options.worker_threads = 192;
  VANTUS_TRY(std::unique_ptr<HttpServer> server, HttpServer::bind(listen, options));
  addHealthRoutes(server->routes(), [&app] { return app.readiness(); });
  DesiredReleases desired(app.store(), /*max_waiters=*/128, std::chrono::milliseconds(200));
  VANTUS_TRY_VOID(desired.start());
  // Stopped on every way out, before `desired` goes.
  struct StopPublishing {
    PublishingLoop& loop;
    ~StopPublishing() { loop.stop(); }
  } stop_publishing{app.publishing()};
  // Bundles just built: the agents' pointers move now rather than at the next refresh.
  app.publishing().start([&desired] {
    if (auto refreshed = desired.refresh(); !refreshed) {
      log::warn("desired.refresh_failed", {{"error", refreshed.error().describe()}});
    }
  });
  ApiServices api{app.store(),       app.model(),
                  app.deployments(), app.tokens(),
                  app.fleet(),       [] { return static_cast<std::int64_t>(std::time(nullptr)); }};
  const ControllerConfig& config = app.config();
  // Bursts of a sixth of a minute's budget: room for a Terraform apply's parallel requests.
  auto rule = [](int per_minute) {
    return RateRule{static_cast<double>(per_minute), std::max(1.0, per_minute / 6.0)};
  };
  api.limits = ApiLimits{rule(config.rate_limit_writes_per_minute),
                         rule(config.rate_limit_deploys_per_minute),
                         rule(config.rate_limit_auth_failures_per_minute)};
  addApiRoutes(server->routes(), api);
  if (auto spec = readFile((app.dataDir() / "schema" / "openapi.yaml").string()); spec) {
    addSpecRoute(server->routes(), std::move(*spec));
  } else {
    log::warn("api.spec_missing", {{"error", spec.error().describe()}});
  }
  AgentServices agents{app.fleet(), desired, app.layout().bundles};
  addAgentRoutes(server->routes(), agents);
  server->start();
  const HostPort bound{listen.host, server->port()};
  log::info("controller.listening", {{"address", (tls ? "https://" : "http://") + bound.toString()},
                                     {"state_dir", app.layout().root.string()}});
  const int signal = waitForTerminationSignal();
  log::info("controller.stopping", {{"signal", signal}});
  desired.stop();  // releases the long-polling agents so that the workers can finish
  server->stop();
  return ok();
}

}  // namespace vantus::controller
