#include "controller/app/serve.h"

#include <fmt/format.h>
#include <systemd/sd-daemon.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <ctime>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

#include "common/core/files.h"
#include "common/http/http_client.h"
#include "common/log/log.h"
#include "common/process/termination_signal.h"
#include "controller/api/agent_routes.h"
#include "controller/api/api_routes.h"
#include "controller/fleet/desired_releases.h"
#include "controller/server/health_routes.h"
#include "controller/server/http_server.h"
#include "controller/ui/page_renderer.h"
#include "controller/ui/static_assets.h"
#include "controller/ui/ui_routes.h"

namespace vantus::controller {

namespace {

// Runs `task` now and then every `period` on its own thread until destroyed.
class Periodically {
 public:
  Periodically(std::chrono::microseconds period, std::function<void()> task)
      : thread_([this, period, task = std::move(task)] { run(period, task); }) {}
  ~Periodically() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

 private:
  void run(std::chrono::microseconds period, const std::function<void()>& task) {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      lock.unlock();
      task();
      lock.lock();
      wake_.wait_for(lock, period, [this] { return stopping_; });
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;  // last: started once the members it uses exist
};

// Feeds systemd's watchdog at half its interval while the app is ready; nothing outside systemd.
std::optional<Periodically> systemdWatchdog(ControllerApp& app) {
  std::uint64_t interval_usec = 0;
  if (sd_watchdog_enabled(0, &interval_usec) <= 0 || interval_usec == 0) {
    return std::nullopt;
  }
  return std::optional<Periodically>(
      std::in_place, std::chrono::microseconds(interval_usec / 2), [&app] {
        if (Result<void> ready = app.readiness(); ready) {
          sd_notify(0, "WATCHDOG=1");
        } else {
          log::error("controller.not_ready", {{"error", ready.error().describe()}});
        }
      });
}

// How often the audit log's newest rows are anchored outside SQLite: rows written since the
// last checkpoint are those whose deletion cannot be proven.
constexpr std::chrono::seconds kAuditCheckpointPeriod{60};

// Bursts of a sixth of a minute's budget: room for a Terraform apply's parallel requests, or
// an agent's poll, bundle fetch and receipt in a row.
RateRule burstRule(int per_minute) {
  return RateRule{static_cast<double>(per_minute), std::max(1.0, per_minute / 6.0)};
}

}  // namespace

ApiServices apiServicesOf(ControllerApp& app) {
  ApiServices api{app.model(),
                  app.deployments(),
                  app.tokens(),
                  app.fleet(),
                  app.users(),
                  app.audit(),
                  app.idempotentAnswers(),
                  [&app] { return app.store().writeGeneration(); },
                  [] { return static_cast<std::int64_t>(std::time(nullptr)); }};
  const ControllerConfig& config = app.config();
  api.limits = ApiLimits{burstRule(config.rate_limit_writes_per_minute),
                         burstRule(config.rate_limit_deploys_per_minute),
                         burstRule(config.rate_limit_auth_failures_per_minute)};
  api.proxies = app.trustedProxies();
  return api;
}

AgentServices agentServicesOf(ControllerApp& app, DesiredReleases& desired) {
  AgentServices agents{app.fleet(), desired, app.layout().bundles};
  agents.proxies = app.trustedProxies();
  agents.auth_failures = burstRule(app.config().rate_limit_auth_failures_per_minute);
  agents.node_requests = burstRule(app.config().rate_limit_node_requests_per_minute);
  return agents;
}

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
  addHealthRoutes(server->routes(), app.readinessChecks());
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
  ApiServices api = apiServicesOf(app);
  addApiRoutes(server->routes(), api);
  if (auto spec = readFile((app.dataDir() / "schema" / "openapi.yaml").string()); spec) {
    addSpecRoute(server->routes(), std::move(*spec));
  } else {
    log::warn("api.spec_missing", {{"error", spec.error().describe()}});
  }
  AgentServices agents = agentServicesOf(app, desired);
  addAgentRoutes(server->routes(), agents);
  const std::filesystem::path ui_templates = app.dataDir() / "templates" / "ui";
  VANTUS_TRY(std::unique_ptr<ui::PageRenderer> pages, ui::PageRenderer::load(ui_templates));
  VANTUS_TRY(ui::StaticAssets assets, ui::StaticAssets::load(ui_templates / "static"));
  UiServices web{app.model(), app.deployments(), app.fleet(), app.sessions(), app.users(),
                 app.audit(), app.tokens(),      *pages,      assets,         tls};
  web.key_fingerprint = app.signingKey().publicKey().fingerprint();
  web.public_url = app.config().public_url;
  web.invitation_valid_for =
      mail::describeDuration(std::int64_t{app.config().invitation_valid_days} * 86400);
  web.proxies = app.trustedProxies();
  addUiRoutes(server->routes(), web);
  server->start();
  const HostPort bound{listen.host, server->port()};
  // systemd (Type=notify): ready once listening; the watchdog is fed while the checks pass,
  // so a controller whose database or repository stopped answering is restarted.
  sd_notify(0, "READY=1");
  std::optional<Periodically> watchdog = systemdWatchdog(app);
  Periodically audit_checkpoints(kAuditCheckpointPeriod, [&app] { anchorAuditLog(app.audit()); });
  log::info("controller.listening", {{"address", (tls ? "https://" : "http://") + bound.toString()},
                                     {"state_dir", app.layout().root.string()}});
  const int signal = waitForTerminationSignal();
  sd_notify(0, "STOPPING=1");
  log::info("controller.stopping", {{"signal", signal}});
  desired.stop();  // releases the long-polling agents so that the workers can finish
  server->stop();
  return ok();
}

}  // namespace vantus::controller
