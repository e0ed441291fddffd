#include "agent/app/enroll.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <filesystem>

#include "agent/run/controller_client.h"
#include "agent/state/agent_state.h"
#include "common/core/files.h"
#include "common/crypto/ed25519.h"

namespace vantus::agent {
namespace fs = std::filesystem;

Result<EnrollReport> enrollNode(const EnrollOptions& options) {
  const AgentLayout layout = agentLayout(options.state_dir);
  std::error_code error;
  if (fs::exists(layout.enrollment, error) || fs::exists(layout.node_key, error)) {
    return fail(ErrorCode::kAlreadyExists,
                fmt::format("{} is already enrolled; use a fresh state dir to enrol again",
                            options.state_dir));
  }
  if (!options.pin.starts_with("SHA256:")) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("--pin {:?} must be SHA256:<fingerprint> as `vantus-controller init` "
                            "printed it",
                            options.pin),
                "pin");
  }
  VANTUS_TRY(crypto::Ed25519PrivateKey node_key, crypto::Ed25519PrivateKey::generate());
  VANTUS_TRY(std::unique_ptr<ControllerClient> client,
             ControllerClient::make({.base_url = options.controller_url,
                                     .ca_file = options.ca_file,
                                     .allow_plain_http = options.allow_plain_http},
                                    ""));
  // The pin is checked before the token is spent, and again on the keys the enrolment
  // answer carries (a controller that changed keys in between is refused as well).
  auto pinnedKeys =
      [&](const std::vector<std::string>& pems) -> Result<std::vector<crypto::Ed25519PublicKey>> {
    std::vector<crypto::Ed25519PublicKey> keys;
    bool pinned = false;
    for (const std::string& pem : pems) {
      VANTUS_TRY(crypto::Ed25519PublicKey key, crypto::Ed25519PublicKey::fromPem(pem));
      pinned = pinned || key.fingerprint() == options.pin;
      keys.push_back(std::move(key));
    }
    if (!pinned) {
      return fail(ErrorCode::kVerificationFailed,
                  fmt::format("the controller at {} does not sign with the pinned key {} (it "
                              "offered {}); nothing was saved and the token is still unused",
                              options.controller_url, options.pin,
                              keys.empty() ? std::string("no key") : keys.front().fingerprint()));
    }
    return keys;
  };
  VANTUS_TRY(std::vector<std::string> offered, client->signingKeys());
  VANTUS_TRY_VOID(pinnedKeys(offered));
  VANTUS_TRY(EnrollAnswer answer,
             client->enroll(options.token, options.name, node_key.publicKey().pem()));
  VANTUS_TRY(std::vector<crypto::Ed25519PublicKey> keys, pinnedKeys(answer.signing_keys_pem));

  fs::create_directories(layout.keyring, error);
  if (error) {
    return fail(ErrorCode::kIo,
                fmt::format("cannot create {}: {}", layout.keyring.string(), error.message()));
  }
  ::chmod(layout.root.c_str(), 0700);
  VANTUS_TRY_VOID(node_key.savePem(layout.node_key.string()));
  VANTUS_TRY_VOID(writeNewFile(layout.credential.string(), answer.credential + "\n", 0600));
  Enrollment enrollment{
      .node = answer.node, .cluster = answer.cluster, .controller_url = options.controller_url};
  for (size_t i = 0; i < keys.size(); ++i) {
    VANTUS_TRY_VOID(writeFileAtomically(
        (layout.keyring / fmt::format("controller-{}.pub", i + 1)).string(), keys[i].pem()));
    enrollment.key_ids.push_back(keys[i].fingerprint());
  }
  VANTUS_TRY_VOID(saveEnrollment(layout.enrollment, enrollment));
  return EnrollReport{.node = answer.node,
                      .cluster = answer.cluster,
                      .node_key_fingerprint = node_key.publicKey().fingerprint()};
}

}  // namespace vantus::agent
