#include "controller/app/controller_app.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <system_error>

#include "common/log/log.h"
#include "controller/deploy/change_plan.h"
#include "controller/history/git_config_history.h"
#include "controller/mail/smtp_mailer.h"
#include "controller/service/audit_anchor.h"
#include "controller/store/store_access.h"

namespace vantus::controller {

namespace fs = std::filesystem;

fs::path defaultDataDir() {
  if (const char* env = std::getenv("VANTUS_DATA_DIR"); env != nullptr && *env != '\0') {
    return env;
  }
  std::error_code error;
  fs::path exe = fs::read_symlink("/proc/self/exe", error);
  if (!error) {
    fs::path installed = exe.parent_path().parent_path() / "share" / "vantus";
    if (fs::exists(installed / "templates", error)) {
      return installed;
    }
  }
  return VANTUS_SOURCE_DIR;
}

namespace {

// The chain key of `layout`. A state dir made before the chain had a key gets one now, keying
// the rows after those already written.
Result<AuditChainKey> openAuditChainKey(const StateDirLayout& layout, const fs::path& migrations) {
  Result<AuditChainKey> key = loadAuditChainKey(layout.audit_key);
  if (key || key.error().code != ErrorCode::kNotFound) {
    return key;
  }
  VANTUS_TRY(std::unique_ptr<Store> unkeyed, Store::open(layout.database, migrations));
  VANTUS_TRY(std::vector<AuditEntry> newest,
             readValue<std::vector<AuditEntry>>(
                 *unkeyed, [](Transaction& tx) { return tx.auditEntries(std::nullopt, 0, 1); }));
  const Id keyed_from = newest.empty() ? 1 : newest.front().id + 1;
  Result<AuditChainKey> created = createAuditChainKey(layout.audit_key, keyed_from);
  if (!created && created.error().code == ErrorCode::kAlreadyExists) {
    return loadAuditChainKey(layout.audit_key);  // another process made it first
  }
  if (created) {
    log::warn("audit.key_created",
              {{"file", layout.audit_key.string()}, {"keyed_from", keyed_from}});
  }
  return created;
}

}  // namespace

void anchorAuditLog(AuditService& audit) {
  if (Result<std::optional<AuditCheckpoint>> anchored = audit.anchor(); !anchored) {
    log::error("audit.not_anchored", {{"error", anchored.error().describe()}});
  }
}

ControllerApp::~ControllerApp() {
  if (publishing_) {
    publishing_->stop();
  }
  if (audit_) {
    anchorAuditLog(*audit_);
  }
}

Result<std::unique_ptr<ControllerApp>> ControllerApp::open(const fs::path& state_dir,
                                                           const fs::path& data_dir) {
  std::unique_ptr<ControllerApp> app(new ControllerApp());
  app->layout_ = stateDirLayout(state_dir);
  app->data_dir_ = data_dir;
  const StateDirLayout& layout = app->layout_;
  std::error_code error;
  if (!fs::exists(layout.database, error) || !fs::exists(layout.repository, error)) {
    return fail(ErrorCode::kNotFound,
                fmt::format("{} is not a Vantus state dir: create one with `vantus-controller "
                            "init --state-dir {}`",
                            state_dir.string(), state_dir.string()));
  }
  VANTUS_TRY(app->config_, loadControllerConfig(layout.config));
  VANTUS_TRY(app->trusted_proxies_,
             TrustedProxies::parse(app->config_.trusted_proxies, app->config_.forwarded_header));
  log::setLevel(app->config_.log_level);
  VANTUS_TRY(crypto::Ed25519PrivateKey key,
             crypto::Ed25519PrivateKey::loadPem(layout.signing_key.string()));
  app->key_ = std::make_unique<crypto::Ed25519PrivateKey>(std::move(key));
  const fs::path migrations = data_dir / "schema" / "migrations";
  VANTUS_TRY(AuditChainKey audit_key, openAuditChainKey(layout, migrations));
  VANTUS_TRY(app->store_, Store::open(layout.database, migrations, systemUnixSeconds, audit_key));
  VANTUS_TRY(app->history_,
             openGitHistory(layout.repository, *app->key_, app->config_.committer_name,
                            app->config_.committer_email));
  VANTUS_TRY(app->renderer_, Renderer::create(data_dir / "templates" / "nginx"));
  app->runner_ = makeSystemProcessRunner();
  if (app->config_.precheck && fs::exists(app->config_.nginx_binary, error)) {
    app->precheck_ =
        makeNginxPrecheck(NginxPrecheckOptions{.nginx_binary = app->config_.nginx_binary.string(),
                                               .work_dir = layout.precheck},
                          *app->runner_);
  } else {
    log::warn("precheck.disabled",
              {{"nginx_binary", app->config_.nginx_binary.string()},
               {"reason", app->config_.precheck ? "nginx binary not found"
                                                : "precheck: false in controller.yaml"}});
    app->precheck_ = makeSkippedPrecheck();
  }
  app->publisher_ = std::make_unique<ReleasePublisher>(
      *app->history_, *app->key_, layout.bundles,
      std::int64_t{app->config_.release_expiry_days} * 24 * 3600);
  app->model_ = std::make_unique<ModelService>(*app->store_);
  app->model_->setDeployedClusters([store = app->store_.get(), history = app->history_.get()](
                                       std::string_view slug) -> Result<std::vector<std::string>> {
    std::vector<std::string> found;
    VANTUS_TRY(std::string head, history->head());
    if (head.empty()) {
      return found;
    }
    VANTUS_TRY(std::vector<EdgeCluster> clusters,
               readValue<std::vector<EdgeCluster>>(
                   *store, [](Transaction& tx) { return tx.listClusters(); }));
    for (const EdgeCluster& cluster : clusters) {
      VANTUS_TRY(
          std::optional<std::string> file,
          history->readFile(head, clusterPrefix(cluster.name) + Renderer::tenantConfigPath(slug)));
      if (file) {
        found.push_back(cluster.name);
      }
    }
    return found;
  });
  const char* fault = std::getenv("VANTUS_CONTROLLER_FAULT");
  const std::string crash_at = fault != nullptr ? fault : "";
  VANTUS_TRY(app->deploy_lock_, FileLock::open(layout.lock_file));
  app->deployments_ = std::make_unique<DeploymentService>(
      *app->store_, *app->history_, *app->renderer_, *app->precheck_, *app->publisher_,
      [] { return static_cast<std::int64_t>(std::time(nullptr)); },
      DeploymentServiceOptions{.lock = app->deploy_lock_.get(), .crash_at = crash_at});
  app->publishing_ = std::make_unique<PublishingLoop>(
      *app->deployments_, std::int64_t{app->config_.resign_before_hours} * 3600, crash_at);
  app->deployments_->setReleaseListener(
      [publishing = app->publishing_.get()] { publishing->wake(); });
  app->tokens_ = std::make_unique<TokenService>(*app->store_);
  if (const std::optional<mail::SmtpSettings>& smtp = app->config_.smtp) {
    VANTUS_TRY(app->smtp_, mail::makeSmtpMailer(*smtp));
    constexpr std::size_t kMailQueue = 256;
    app->outbox_ = std::make_unique<mail::MailOutbox>(*app->smtp_, kMailQueue);
    const mail::MailSender sender{smtp->from, smtp->from_name, app->config_.public_url};
    app->queued_link_mail_ = std::make_unique<mail::LinkMail>(*app->outbox_, sender);
    app->direct_link_mail_ = std::make_unique<mail::LinkMail>(*app->smtp_, sender);
  }
  app->users_ = std::make_unique<UserService>(
      *app->store_,
      InvitationSettings{.link_mail = app->queued_link_mail_.get(),
                         .valid_seconds = std::int64_t{app->config_.invitation_valid_days} * 86400,
                         .clock = systemUnixSeconds});
  app->audit_ = std::make_unique<AuditService>(
      *app->store_, AuditAnchoring{.key = std::move(audit_key),
                                   .signing_key = *app->key_,
                                   .checkpoint_file = layout.audit_checkpoint});
  SessionSettings session_settings;
  session_settings.idle_seconds = std::int64_t{app->config_.session_idle_minutes} * 60;
  session_settings.absolute_seconds = std::int64_t{app->config_.session_absolute_hours} * 3600;
  app->sessions_ = std::make_unique<SessionService>(
      *app->store_, session_settings, [] { return static_cast<std::int64_t>(std::time(nullptr)); },
      app->queued_link_mail_.get());
  app->idempotent_answers_ = std::make_unique<IdempotencyService>(*app->store_);
  app->fleet_ = std::make_unique<FleetService>(
      *app->store_, std::vector<std::string>{app->key_->publicKey().pem()},
      std::chrono::seconds(app->config_.node_offline_after_seconds),
      [] { return static_cast<std::int64_t>(std::time(nullptr)); });
  anchorAuditLog(*app->audit_);
  return app;
}

std::vector<ReadinessCheck> ControllerApp::readinessChecks() const {
  return {
      {"database", [this] { return store_->ping(); }},
      {"repository",
       [this]() -> Result<void> {
         VANTUS_TRY_VOID(history_->head());
         return ok();
       }},
      {"signing_key",
       [this]() -> Result<void> {
         constexpr std::string_view kProbe = "vantus readiness probe";
         if (!key_->publicKey().verify(kProbe, key_->sign(kProbe))) {
           return fail(ErrorCode::kUnavailable,
                       "the signing key does not verify its own signature");
         }
         return ok();
       }},
  };
}

Result<void> ControllerApp::readiness() const {
  for (const ReadinessCheck& check : readinessChecks()) {
    VANTUS_TRY_VOID(check.run());
  }
  return ok();
}

}  // namespace vantus::controller
