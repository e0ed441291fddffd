#include "agent/app/agent_runtime.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>

#include "common/core/files.h"

namespace vantus::agent {
namespace fs = std::filesystem;

Result<release::Keyring> loadKeyringDir(const fs::path& dir) {
  std::vector<std::string> files;
  std::error_code error;
  for (auto it = fs::directory_iterator(dir, error); !error && it != fs::directory_iterator();
       it.increment(error)) {
    if (it->path().extension() == ".pub") {
      files.push_back(it->path().string());
    }
  }
  if (error) {
    return fail(ErrorCode::kNotFound,
                fmt::format("cannot read the keyring {}: {}", dir.string(), error.message()));
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    return fail(ErrorCode::kNotFound,
                fmt::format("the keyring {} holds no key: enrol this node first", dir.string()));
  }
  return release::Keyring::fromPemFiles(files);
}

Result<std::unique_ptr<AgentRuntime>> AgentRuntime::open(const fs::path& config_file) {
  std::unique_ptr<AgentRuntime> runtime(new AgentRuntime());
  VANTUS_TRY(runtime->config_, loadAgentConfig(config_file));
  const AgentConfig& config = runtime->config_;
  runtime->layout_ = agentLayout(config.state_dir);
  const AgentLayout& layout = runtime->layout_;

  const fs::path lock = layout.root / "agent.lock";
  runtime->lock_.reset(::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
  if (!runtime->lock_) {
    return fail(ErrorCode::kIo, fmt::format("cannot open {}: {} (is state_dir right?)",
                                            lock.string(), std::strerror(errno)));
  }
  if (::flock(runtime->lock_.get(), LOCK_EX | LOCK_NB) != 0) {
    return fail(ErrorCode::kFailedPrecondition,
                fmt::format("another vantus-agent uses {} (it holds {})", layout.root.string(),
                            lock.string()));
  }
  VANTUS_TRY(runtime->enrollment_, loadEnrollment(layout.enrollment));
  VANTUS_TRY(crypto::Ed25519PrivateKey key, crypto::Ed25519PrivateKey::loadPem(layout.node_key));
  runtime->node_key_ = std::make_unique<crypto::Ed25519PrivateKey>(std::move(key));
  VANTUS_TRY(runtime->keyring_, loadKeyringDir(layout.keyring));
  VANTUS_TRY(std::string credential, readFile(layout.credential.string(), 4096));
  while (!credential.empty() && (credential.back() == '\n' || credential.back() == ' ')) {
    credential.pop_back();
  }

  std::error_code error;
  for (const fs::path& dir : {layout.releases, layout.bundles}) {
    fs::create_directories(dir, error);
    if (error) {
      return fail(ErrorCode::kIo,
                  fmt::format("cannot create {}: {}", dir.string(), error.message()));
    }
  }
  fs::create_directories(config.runtime_dir, error);
  if (error) {
    return fail(ErrorCode::kIo, fmt::format("cannot create nginx.runtime_dir {}: {}",
                                            config.runtime_dir.string(), error.message()));
  }
  runtime->runner_ = makeSystemProcessRunner();
  runtime->nginx_ = makeSystemNginx(config, *runtime->runner_);
  if (config.start_nginx) {
    runtime->supervised_ = std::make_unique<SupervisedNginx>(
        *runtime->nginx_, layout.current / "nginx.conf", layout.nginx_restarts,
        [] { return std::chrono::steady_clock::now(); },
        [] { return static_cast<std::int64_t>(std::time(nullptr)); });
  }
  runtime->prober_ = makeHttpProber(config);
  ApplierOptions options{.local = {.runtime_dir = config.runtime_dir.string(),
                                   .http_listen = config.http_listen,
                                   .https_listen = config.https_listen,
                                   .status_listen = config.status_listen,
                                   .worker_processes = config.worker_processes,
                                   .worker_connections = config.worker_connections},
                         .tls_dir = config.tls_dir,
                         .keep_releases = static_cast<std::size_t>(config.keep_releases),
                         .reload_confirm_timeout = config.reload_confirm_timeout};
  if (const char* fault = std::getenv("VANTUS_AGENT_FAULT")) {
    options.crash_at = fault;
  }
  runtime->applier_ = std::make_unique<Applier>(
      layout, options, runtime->keyring_, runtime->nginx(), *runtime->prober_,
      [] { return static_cast<std::int64_t>(std::time(nullptr)); });
  VANTUS_TRY(runtime->controller_,
             ControllerClient::make({.base_url = config.controller_url,
                                     .ca_file = config.ca_file,
                                     .allow_plain_http = config.allow_plain_http},
                                    credential));
  return runtime;
}

}  // namespace vantus::agent
