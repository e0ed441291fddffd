#include "controller/app/init_state_dir.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <system_error>

#include "common/core/files.h"
#include "common/crypto/ed25519.h"
#include "controller/app/controller_config.h"
#include "controller/app/state_dir.h"
#include "controller/auth/password.h"
#include "controller/history/git_config_history.h"
#include "controller/model/validate.h"
#include "controller/service/audit_anchor.h"
#include "controller/service/audit_service.h"
#include "controller/store/store.h"
#include "controller/store/store_access.h"

namespace vantus::controller {

namespace fs = std::filesystem;

namespace {

Result<void> makePrivateDir(const fs::path& path) {
  if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) {
    return fail(ErrorCode::kIo, fmt::format("cannot create {}: {}", path.string(),
                                            std::generic_category().message(errno)));
  }
  return ok();
}

Result<InitReport> populate(const StateDirLayout& layout, const fs::path& data_dir,
                            const std::string& admin_email) {
  VANTUS_TRY_VOID(makePrivateDir(layout.signing_key.parent_path()));
  VANTUS_TRY(crypto::Ed25519PrivateKey key, crypto::Ed25519PrivateKey::generate());
  VANTUS_TRY_VOID(key.savePem(layout.signing_key.string()));
  const crypto::Ed25519PublicKey public_key = key.publicKey();
  VANTUS_TRY_VOID(writeNewFile(layout.signing_public_key.string(), public_key.pem(), 0644));
  VANTUS_TRY_VOID(writeNewFile(layout.signing_public_key_ssh.string(),
                               public_key.sshAuthorizedKey("vantus-controller") + "\n", 0644));

  VANTUS_TRY_VOID(writeNewFile(layout.config.string(), defaultControllerConfigYaml(), 0644));
  VANTUS_TRY(ControllerConfig config, loadControllerConfig(layout.config));
  VANTUS_TRY_VOID(writeNewFile(layout.allowed_signers.string(),
                               allowedSignersLine(public_key, config.committer_email) + "\n",
                               0644));
  VANTUS_TRY_VOID(initBareRepository(layout.repository));

  VANTUS_TRY(AuditChainKey audit_key, createAuditChainKey(layout.audit_key, /*keyed_from=*/1));
  VANTUS_TRY(std::unique_ptr<Store> store,
             Store::open(layout.database, data_dir / "schema" / "migrations", systemUnixSeconds,
                         audit_key));
  InitReport report;
  report.admin_email = admin_email;
  report.admin_password = generatePassword();
  report.key_fingerprint = public_key.fingerprint();
  VANTUS_TRY(std::string password_hash, hashPassword(report.admin_password));
  VANTUS_TRY_VOID(store->write([&](Transaction& tx) -> Result<void> {
    User admin;
    admin.email = admin_email;
    admin.password_hash = password_hash;
    admin.is_platform_admin = true;
    VANTUS_TRY(User created, tx.insertUser(admin));
    Actor init_actor;
    init_actor.kind = "system";
    init_actor.id = "init";
    init_actor.name = "init";
    return appendAuditRow(tx, init_actor, std::nullopt, "user.create",
                          fmt::format("user:{}", created.id), nullptr,
                          {{"email", created.email}, {"is_platform_admin", true}});
  }));
  AuditService audit(*store, AuditAnchoring{.key = std::move(audit_key),
                                            .signing_key = key,
                                            .checkpoint_file = layout.audit_checkpoint});
  VANTUS_TRY_VOID(audit.anchor());
  std::error_code error;
  fs::create_directories(layout.bundles, error);
  if (error) {
    return fail(ErrorCode::kIo,
                fmt::format("cannot create {}: {}", layout.bundles.string(), error.message()));
  }
  return report;
}

}  // namespace

Result<InitReport> initStateDir(const fs::path& state_dir, const fs::path& data_dir,
                                std::string_view admin_email) {
  VANTUS_TRY(std::string email, parseEmail(admin_email, "admin_email"));
  std::error_code error;
  const bool existed = fs::exists(state_dir, error);
  if (existed && !fs::is_empty(state_dir, error)) {
    return fail(ErrorCode::kAlreadyExists,
                fmt::format("{} is not empty: init only creates a new state dir and changed "
                            "nothing (use `serve --state-dir {}` to run an existing one)",
                            state_dir.string(), state_dir.string()));
  }
  // The first ancestor that does not exist yet: on failure, everything from there down
  // was made by this call and is removed again.
  fs::path first_created;
  if (!existed) {
    first_created = state_dir;
    for (fs::path parent = state_dir.parent_path();
         !parent.empty() && parent != parent.root_path() && !fs::exists(parent, error);
         parent = parent.parent_path()) {
      first_created = parent;
    }
    if (state_dir.has_parent_path()) {
      fs::create_directories(state_dir.parent_path(), error);
      if (error) {
        return fail(ErrorCode::kIo, fmt::format("cannot create {}: {}",
                                                state_dir.parent_path().string(), error.message()));
      }
    }
  }
  VANTUS_TRY_VOID(makePrivateDir(state_dir));
  // mkdir leaves an existing dir's mode alone (and the umask may narrow a new one's): the
  // state dir holds the signing key, so it is 0700 whatever was there.
  if (::chmod(state_dir.c_str(), 0700) != 0) {
    return fail(ErrorCode::kIo, fmt::format("cannot make {} private: {}", state_dir.string(),
                                            std::generic_category().message(errno)));
  }
  Result<InitReport> report = populate(stateDirLayout(state_dir), data_dir, email);
  if (!report) {
    // Leave nothing half-made behind: the next init must start from scratch.
    if (existed) {
      for (const auto& entry : fs::directory_iterator(state_dir, error)) {
        fs::remove_all(entry.path(), error);
      }
    } else {
      fs::remove_all(first_created, error);
    }
  }
  return report;
}

}  // namespace vantus::controller
