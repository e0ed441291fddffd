#pragma once
// The composition root: opens a state dir (DESIGN §2) and wires the store, the config
// repository, the renderer, the pre-check, the release publisher, the services and the
// publishing loop. Only this module names concrete implementations. Construction happens on
// the main thread; the services it exposes are thread-safe. VANTUS_CONTROLLER_FAULT (read
// once here, off when unset) names a fault point of controller/deploy/fault_point.h.
// Destruction stops the publishing loop first: a process that deployed leaves its signed
// bundles behind.
#include <filesystem>
#include <memory>

#include "common/core/result.h"
#include "common/crypto/ed25519.h"
#include "common/process/process_runner.h"
#include "controller/app/controller_config.h"
#include "controller/app/state_dir.h"
#include "controller/auth/api_tokens.h"
#include "controller/auth/session_service.h"
#include "controller/deploy/deployment_service.h"
#include "controller/deploy/file_lock.h"
#include "controller/deploy/precheck.h"
#include "controller/deploy/publishing_loop.h"
#include "controller/deploy/release_publisher.h"
#include "controller/fleet/fleet_service.h"
#include "controller/history/config_history.h"
#include "controller/mail/link_mail.h"
#include "controller/mail/mail_outbox.h"
#include "controller/render/renderer.h"
#include "controller/server/health_routes.h"
#include "controller/service/audit_service.h"
#include "controller/service/idempotency_service.h"
#include "controller/service/model_service.h"
#include "controller/service/user_service.h"
#include "controller/store/store.h"

namespace vantus::controller {

// Where templates/ and schema/ are: --data-dir, else $VANTUS_DATA_DIR, else
// <executable>/../share/vantus when it exists, else the source tree the binary was built from.
std::filesystem::path defaultDataDir();

// Signs a checkpoint of the audit log's newest rows (AuditService::anchor); a failure is
// logged ("audit.not_anchored"), not returned: anchoring never stops the controller.
void anchorAuditLog(AuditService& audit);

class ControllerApp {
 public:
  // Fails with kNotFound (and a hint to run `init`) when `state_dir` holds no state.
  static Result<std::unique_ptr<ControllerApp>> open(const std::filesystem::path& state_dir,
                                                     const std::filesystem::path& data_dir);
  // Anchors the audit log's newest rows, so that a CLI command's writes are anchored too.
  ~ControllerApp();

  const StateDirLayout& layout() const { return layout_; }
  // Where templates/ and schema/ were read from.
  const std::filesystem::path& dataDir() const { return data_dir_; }
  const ControllerConfig& config() const { return config_; }
  // config().trusted_proxies, parsed: whose forwarding headers name the client.
  const TrustedProxies& trustedProxies() const { return trusted_proxies_; }
  const crypto::Ed25519PrivateKey& signingKey() const { return *key_; }
  Store& store() { return *store_; }
  ConfigHistory& history() { return *history_; }
  ModelService& model() { return *model_; }
  DeploymentService& deployments() { return *deployments_; }
  TokenService& tokens() { return *tokens_; }
  FleetService& fleet() { return *fleet_; }
  UserService& users() { return *users_; }
  AuditService& audit() { return *audit_; }
  SessionService& sessions() { return *sessions_; }
  // With `smtp:` in controller.yaml: the links' e-mails sent now, blocking for at most the
  // SMTP timeout (the CLI's); the services queue theirs. Null without smtp.
  mail::LinkMail* directLinkMail() { return direct_link_mail_.get(); }
  IdempotencyService& idempotentAnswers() { return *idempotent_answers_; }
  // Started by `serve`; woken by every deployment.
  PublishingLoop& publishing() { return *publishing_; }
  // DB answers, the repository's HEAD resolves, the key signs and verifies.
  Result<void> readiness() const;
  // The same three, named for /readyz: "database", "repository", "signing_key".
  std::vector<ReadinessCheck> readinessChecks() const;

 private:
  ControllerApp() = default;

  StateDirLayout layout_;
  std::filesystem::path data_dir_;
  ControllerConfig config_;
  TrustedProxies trusted_proxies_;
  std::unique_ptr<crypto::Ed25519PrivateKey> key_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<ConfigHistory> history_;
  std::unique_ptr<Renderer> renderer_;
  std::unique_ptr<ProcessRunner> runner_;
  std::unique_ptr<Precheck> precheck_;
  std::unique_ptr<FileLock> deploy_lock_;
  std::unique_ptr<ReleasePublisher> publisher_;
  std::unique_ptr<ModelService> model_;
  std::unique_ptr<DeploymentService> deployments_;
  std::unique_ptr<TokenService> tokens_;
  std::unique_ptr<FleetService> fleet_;
  // Before the services that send through them, so that they go after them.
  std::unique_ptr<mail::Mailer> smtp_;
  std::unique_ptr<mail::MailOutbox> outbox_;
  std::unique_ptr<mail::LinkMail> queued_link_mail_;
  std::unique_ptr<mail::LinkMail> direct_link_mail_;
  std::unique_ptr<UserService> users_;
  std::unique_ptr<AuditService> audit_;
  std::unique_ptr<SessionService> sessions_;
  std::unique_ptr<IdempotencyService> idempotent_answers_;
  std::unique_ptr<PublishingLoop> publishing_;  // last: stopped before what it uses goes
};

}  // namespace vantus::controller
