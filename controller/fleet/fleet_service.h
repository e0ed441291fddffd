#pragma once
// The controller's view of its edge nodes: one-time enrolment tokens, node credentials
// (only their sha256 is stored; authenticated nodes are cached so a poll reads no row),
// signed receipts and heartbeats, node liveness and per-node deployment state.
// Thread-safe.
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/core/result.h"
#include "controller/auth/caller.h"
#include "controller/model/audit_records.h"
#include "controller/model/deployments.h"
#include "controller/model/fleet_records.h"
#include "controller/model/people.h"

namespace vantus::controller {

class Store;
class Transaction;

inline constexpr std::string_view kEnrollmentTokenPrefix = "ve_";
inline constexpr std::string_view kNodeCredentialPrefix = "vn_";

struct EnrollmentToken {
  std::string token;  // shown once
  std::string cluster;
  std::int64_t expires_at = 0;
};

struct Enrolled {
  EdgeNode node;
  std::string credential;  // shown once, to the node
  std::vector<std::string> signing_keys_pem;
};

struct NodeStatus {
  EdgeNode node;
  std::string liveness;  // "pending" (never seen), "online", "offline"
};

// One node's state for one release of a deployment.
struct DeploymentNodeState {
  std::string cluster;
  std::uint64_t version = 0;
  std::string node;
  std::string state;  // pending, applied, failed, rolled_back, rejected, superseded, drained
  std::string reason{};
  std::string nginx_output{};
  std::string receipt_check{};  // empty without a receipt, else what checkStoredReceipt says
};

// A stored receipt and what checking its signature again says.
struct CheckedReceipt {
  NodeReceipt receipt;
  std::string check;  // "signature verified" or why not
  std::int64_t signed_at = 0;
};

struct NodeUpdate {
  std::optional<std::string> name;
  std::optional<bool> drained;
};

class FleetService {
 public:
  FleetService(Store& store, std::vector<std::string> signing_keys_pem,
               std::chrono::seconds offline_after, std::function<std::int64_t()> clock);

  // "edges:write" on the platform.
  Result<EnrollmentToken> createEnrollmentToken(const Caller& caller, std::string_view cluster,
                                                std::chrono::seconds ttl);
  // kUnauthenticated for a bad token, kInvalidInput for a bad name or key.
  Result<Enrolled> enroll(std::string_view token, std::string_view name,
                          std::string_view public_key_pem, const Actor& actor);
  const std::vector<std::string>& signingKeys() const { return signing_keys_pem_; }
  // kUnauthenticated unless `credential` belongs to an enrolled node.
  Result<EdgeNode> authenticate(std::string_view credential);
  // Verifies the node's signature and that the report is about this node and cluster.
  Result<void> acceptReceipt(const EdgeNode& node, std::string_view envelope_json);
  Result<void> acceptHeartbeat(const EdgeNode& node, std::string_view envelope_json);

  // Nodes: "edges:read" / "edges:write" on the platform.
  Result<std::vector<NodeStatus>> nodes(const Caller& caller, std::optional<std::string> cluster);
  // "config:read" on the deployment's tenant; another tenant's deployment is kNotFound.
  Result<std::vector<DeploymentNodeState>> deploymentNodes(const Caller& caller, Id deployment_id);
  // kNotFound unless the node belongs to the cluster.
  Result<NodeStatus> node(const Caller& caller, Id cluster_id, Id node_id);
  // The node's newest `limit` receipts, newest first, each checked again against its key.
  Result<std::vector<CheckedReceipt>> nodeReceipts(const Caller& caller, Id cluster_id, Id node_id,
                                                   std::size_t limit);
  // A rename changes what people see; the node's signed reports keep its enrolled name.
  Result<NodeStatus> updateNode(const Caller& caller, Id cluster_id, Id node_id,
                                const NodeUpdate& update);
  // Its credential stops working at once; its receipts go with it.
  Result<void> deleteNode(const Caller& caller, Id cluster_id, Id node_id);

 private:
  // A report's signing time must be near the controller's: an agent keeps a receipt it could
  // not deliver for a while (a week at most), a heartbeat is live (an hour of clock skew).
  static constexpr std::chrono::seconds kReceiptMaxAge{7 * 24 * 3600};
  static constexpr std::chrono::seconds kHeartbeatMaxSkew{3600};
  static constexpr std::chrono::seconds kReportMaxAhead{3600};
  Result<void> checkReportTime(std::int64_t at, std::chrono::seconds max_age,
                               std::string_view what) const;
  NodeStatus statusOf(EdgeNode node) const;
  static Result<EdgeNode> nodeOfCluster(Transaction& tx, Id cluster_id, Id node_id);
  // Authenticated nodes are cached with their rows; a change to a node drops the cache.
  void forgetCredentials();

  Store& store_;
  std::vector<std::string> signing_keys_pem_;
  std::chrono::seconds offline_after_;
  std::function<std::int64_t()> clock_;
  std::mutex mutex_;
  std::unordered_map<std::string, EdgeNode> by_credential_hash_;
  std::uint64_t cache_epoch_ = 0;  // counts forgetCredentials()
};

}  // namespace vantus::controller
