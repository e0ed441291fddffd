#pragma once
// The one door for a signed bundle, whatever brought it (the controller's pointer, a cache in
// front of it, a file given to `vantus-agent apply`): verify it against the pinned keyring,
// this node's cluster and the serving release, apply it, and sign the receipt of the attempt.
// A refused bundle is recorded in the state and its receipt names the version it claimed.
// Agent thread only, like the Applier it drives.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "agent/apply/applier.h"
#include "agent/state/agent_state.h"
#include "common/crypto/ed25519.h"
#include "common/release/keyring.h"

namespace vantus::agent {

// What the controller's pointer announced; empty for a bundle from a file.
struct AnnouncedBundle {
  std::string digest{};
  std::uint64_t version = 0;
};

struct Delivery {
  ApplyOutcome outcome;
  std::string receipt;  // the signed receipt envelope, not yet sent anywhere
};

class BundleDelivery {
 public:
  // Every reference must outlive the delivery; `clock` answers unix seconds.
  BundleDelivery(Applier& applier, const release::Keyring& keyring, const Enrollment& enrollment,
                 const crypto::Ed25519PrivateKey& node_key, std::function<std::int64_t()> clock);

  // A bundle whose digest is not the announced one is refused like a forged one.
  Delivery deliver(std::string_view bundle_bytes, const AnnouncedBundle& announced = {});

 private:
  ApplyOutcome refuse(std::string_view bundle_bytes, const AnnouncedBundle& announced,
                      const release::VerifyPolicy& policy, const Error& why);

  Applier& applier_;
  const release::Keyring& keyring_;
  const Enrollment& enrollment_;
  const crypto::Ed25519PrivateKey& node_key_;
  std::function<std::int64_t()> clock_;
};

}  // namespace vantus::agent
