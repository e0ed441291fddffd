#include "controller/fleet/fleet_service.h"

#include <fmt/format.h>

#include "common/core/time.h"
#include "common/crypto/ed25519.h"
#include "common/crypto/hash.h"
#include "common/log/log.h"
#include "common/release/node_report.h"
#include "controller/auth/access.h"
#include "controller/model/validate.h"
#include "controller/store/store_access.h"

namespace vantus::controller {
namespace {

constexpr std::chrono::seconds kMaxTokenTtl{7 * 24 * 3600};

std::string credentialHash(std::string_view secret) { return crypto::sha256Hex(secret); }

Unexpected notAuthenticated() {
  return fail(ErrorCode::kUnauthenticated,
              "the node credential is not valid; re-enrol the node (vantus-agent enroll)");
}

}  // namespace

FleetService::FleetService(Store& store, std::vector<std::string> signing_keys_pem,
                           std::chrono::seconds offline_after, std::function<std::int64_t()> clock)
    : store_(store),
      signing_keys_pem_(std::move(signing_keys_pem)),
      offline_after_(offline_after),
      clock_(std::move(clock)) {}

Result<EnrollmentToken> FleetService::createEnrollmentToken(const Caller& caller,
                                                            std::string_view cluster_name,
                                                            std::chrono::seconds ttl) {
  VANTUS_TRY_VOID(authorize(caller.principal, "edges:write", std::nullopt));
  if (ttl.count() < 60 || ttl > kMaxTokenTtl) {
    return fail(ErrorCode::kInvalidInput, "the token lifetime must be 1 minute .. 7 days", "ttl");
  }
  VANTUS_TRY(std::string secret, crypto::randomToken(32));
  EnrollmentToken token{.token = std::string(kEnrollmentTokenPrefix) + secret,
                        .cluster = std::string(cluster_name),
                        .expires_at = clock_() + ttl.count()};
  VANTUS_TRY_VOID(store_.write([&](Transaction& tx) -> Result<void> {
    VANTUS_TRY(EdgeCluster cluster, tx.clusterByName(cluster_name));
    VANTUS_TRY_VOID(
        tx.insertEnrollmentToken(cluster.id, credentialHash(token.token), token.expires_at));
    return recordWrite(tx, caller, std::nullopt, "enrollment_token.create",
                       fmt::format("edge_cluster:{}", cluster.id), nullptr,
                       {{"cluster", cluster.name}, {"expires_at", token.expires_at}});
  }));
  return token;
}

Result<Enrolled> FleetService::enroll(std::string_view token, std::string_view name,
                                      std::string_view public_key_pem, const Actor& actor) {
  VANTUS_TRY(std::string node_name, parseSlug(name, "name"));
  auto key = crypto::Ed25519PublicKey::fromPem(public_key_pem);
  if (!key) {
    return fail(ErrorCode::kInvalidInput,
                "public_key must be an Ed25519 public key in PEM: " + key.error().message,
                "public_key");
  }
  if (!token.starts_with(kEnrollmentTokenPrefix)) {
    return fail(ErrorCode::kUnauthenticated, "the enrolment token is unknown, spent or expired");
  }
  VANTUS_TRY(std::string secret, crypto::randomToken(32));
  const std::string credential = std::string(kNodeCredentialPrefix) + secret;
  VANTUS_TRY(
      EdgeNode node, writeValue<EdgeNode>(store_, [&](Transaction& tx) -> Result<EdgeNode> {
        VANTUS_TRY(EdgeNode enrolled, tx.enrollNode(credentialHash(token), node_name, key->pem(),
                                                    credentialHash(credential)));
        VANTUS_TRY_VOID(appendAuditRow(
            tx, actor, std::nullopt, "node.enroll", fmt::format("edge_node:{}", enrolled.id),
            nullptr,
            {{"cluster", enrolled.cluster}, {"name", enrolled.name}, {"key", key->fingerprint()}}));
        return enrolled;
      }));
  log::info("node.enrolled",
            {{"node", node.name}, {"cluster", node.cluster}, {"key", key->fingerprint()}});
  return Enrolled{.node = node, .credential = credential, .signing_keys_pem = signing_keys_pem_};
}

Result<EdgeNode> FleetService::authenticate(std::string_view credential) {
  if (!credential.starts_with(kNodeCredentialPrefix) || credential.size() > 128) {
    return notAuthenticated();
  }
  const std::string hash = credentialHash(credential);
  std::uint64_t epoch = 0;
  {
    std::lock_guard lock(mutex_);
    if (auto found = by_credential_hash_.find(hash); found != by_credential_hash_.end()) {
      return found->second;
    }
    epoch = cache_epoch_;
  }
  auto node =
      readValue<EdgeNode>(store_, [&](Transaction& tx) { return tx.nodeByCredentialHash(hash); });
  if (!node) {
    return node.error().code == ErrorCode::kNotFound ? notAuthenticated()
                                                     : fail(std::move(node).error());
  }
  std::lock_guard lock(mutex_);
  // A node changed while this one was read: what was read may be the row before the change.
  if (epoch == cache_epoch_) {
    by_credential_hash_.emplace(hash, *node);
  }
  return *node;
}

Result<void> FleetService::checkReportTime(std::int64_t at, std::chrono::seconds max_age,
                                           std::string_view what) const {
  const std::int64_t now = clock_();
  if (at < now - max_age.count() || at > now + kReportMaxAhead.count()) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("the {} was signed at {}, too far from the controller's time {}: "
                            "check the node's clock (NTP)",
                            what, formatRfc3339Utc(at), formatRfc3339Utc(now)),
                "at");
  }
  return ok();
}

Result<void> FleetService::acceptReceipt(const EdgeNode& node, std::string_view envelope_json) {
  VANTUS_TRY(crypto::Ed25519PublicKey key, crypto::Ed25519PublicKey::fromPem(node.public_key));
  VANTUS_TRY(release::Receipt receipt, release::verifyReceipt(envelope_json, key));
  if (receipt.node != node.enrolled_name || receipt.cluster != node.cluster) {
    return fail(ErrorCode::kPermissionDenied,
                fmt::format("the receipt names node {}/{}, not {}/{}", receipt.cluster,
                            receipt.node, node.cluster, node.enrolled_name));
  }
  VANTUS_TRY_VOID(checkReportTime(receipt.at, kReceiptMaxAge, "receipt"));
  NodeReceipt row{.node_id = node.id,
                  .node = node.name,
                  .version = receipt.version,
                  .digest = receipt.digest,
                  .result = std::string(release::applyResultName(receipt.result)),
                  .reason = receipt.reason,
                  .nginx_output = receipt.nginx_output,
                  .serving_version = receipt.serving_version,
                  .envelope_json = std::string(envelope_json)};
  // The signed receipt is kept whole in node_receipts; the audit row says who reported what.
  const Actor node_actor{.kind = "node",
                         .id = std::to_string(node.id),
                         .name = node.cluster + "/" + node.name,
                         .email = "",
                         .source_address = "",
                         .user_agent = ""};
  bool replayed = false;
  VANTUS_TRY_VOID(store_.write([&](Transaction& tx) -> Result<void> {
    // A retry whose answer was lost, or a replay by whoever captured it: acknowledged, not
    // stored or audited twice.
    VANTUS_TRY(replayed, tx.receiptStored(node.id, row.version, row.envelope_json));
    if (replayed) {
      return ok();
    }
    VANTUS_TRY_VOID(tx.insertReceipt(row));
    return appendAuditRow(
        tx, node_actor, std::nullopt, "node.receipt", fmt::format("edge_node:{}", node.id), nullptr,
        {{"version", row.version}, {"result", row.result}, {"reason", row.reason}});
  }));
  if (replayed) {
    return ok();
  }
  auto level =
      receipt.result == release::ApplyResult::kApplied ? log::Level::kInfo : log::Level::kWarn;
  log::write(level, "node.receipt",
             {{"node", node.name},
              {"cluster", node.cluster},
              {"version", receipt.version},
              {"result", row.result},
              {"reason", receipt.reason}});
  return ok();
}

Result<void> FleetService::acceptHeartbeat(const EdgeNode& node, std::string_view envelope_json) {
  VANTUS_TRY(crypto::Ed25519PublicKey key, crypto::Ed25519PublicKey::fromPem(node.public_key));
  VANTUS_TRY(release::Heartbeat heartbeat, release::verifyHeartbeat(envelope_json, key));
  if (heartbeat.node != node.enrolled_name || heartbeat.cluster != node.cluster) {
    return fail(ErrorCode::kPermissionDenied,
                fmt::format("the heartbeat names node {}/{}, not {}/{}", heartbeat.cluster,
                            heartbeat.node, node.cluster, node.enrolled_name));
  }
  VANTUS_TRY_VOID(checkReportTime(heartbeat.at, kHeartbeatMaxSkew, "heartbeat"));
  NodeHeartbeat row{.applied_version = heartbeat.version,
                    .applied_digest = heartbeat.digest,
                    .nginx_version = heartbeat.nginx_version,
                    .drift = heartbeat.drift,
                    .expired = heartbeat.expired,
                    .last_result = heartbeat.last_result};
  return store_.write([&](Transaction& tx) { return tx.recordHeartbeat(node.id, row); });
}

Result<std::vector<NodeStatus>> FleetService::nodes(const Caller& caller,
                                                    std::optional<std::string> cluster_name) {
  VANTUS_TRY_VOID(authorize(caller.principal, "edges:read", std::nullopt));
  VANTUS_TRY(std::vector<EdgeNode> nodes,
             readValue<std::vector<EdgeNode>>(
                 store_, [&](Transaction& tx) -> Result<std::vector<EdgeNode>> {
                   std::optional<Id> cluster_id;
                   if (cluster_name) {
                     VANTUS_TRY(EdgeCluster cluster, tx.clusterByName(*cluster_name));
                     cluster_id = cluster.id;
                   }
                   return tx.listNodes(cluster_id);
                 }));
  std::vector<NodeStatus> statuses;
  for (EdgeNode& node : nodes) {
    statuses.push_back(statusOf(std::move(node)));
  }
  return statuses;
}

NodeStatus FleetService::statusOf(EdgeNode node) const {
  std::string liveness = node.last_seen_unix == 0                                  ? "pending"
                         : clock_() - node.last_seen_unix > offline_after_.count() ? "offline"
                                                                                   : "online";
  return NodeStatus{std::move(node), std::move(liveness)};
}

Result<EdgeNode> FleetService::nodeOfCluster(Transaction& tx, Id cluster_id, Id node_id) {
  Result<EdgeNode> node = tx.node(node_id);
  if (!node || node->cluster_id != cluster_id) {
    if (node || node.error().code == ErrorCode::kNotFound) {
      return fail(ErrorCode::kNotFound,
                  fmt::format("edge node {} not found in cluster {}", node_id, cluster_id));
    }
  }
  return node;
}

Result<NodeStatus> FleetService::node(const Caller& caller, Id cluster_id, Id node_id) {
  VANTUS_TRY_VOID(authorize(caller.principal, "edges:read", std::nullopt));
  VANTUS_TRY(EdgeNode node, readValue<EdgeNode>(store_, [&](Transaction& tx) {
               return nodeOfCluster(tx, cluster_id, node_id);
             }));
  return statusOf(std::move(node));
}

namespace {

// The stored row checked against the node's signature over it: a row edited in the database
// after the node signed it no longer matches.
CheckedReceipt checkStoredReceipt(const EdgeNode& node, NodeReceipt row) {
  CheckedReceipt checked{.receipt = std::move(row), .check = "", .signed_at = 0};
  Result<crypto::Ed25519PublicKey> key = crypto::Ed25519PublicKey::fromPem(node.public_key);
  if (!key) {
    checked.check = "cannot check: the node has no usable identity key";
    return checked;
  }
  Result<release::Receipt> signed_receipt =
      release::verifyReceipt(checked.receipt.envelope_json, *key);
  if (!signed_receipt) {
    checked.check = "signature does not verify: " + signed_receipt.error().message;
    return checked;
  }
  const NodeReceipt& stored = checked.receipt;
  if (signed_receipt->version != stored.version || signed_receipt->digest != stored.digest ||
      release::applyResultName(signed_receipt->result) != stored.result ||
      signed_receipt->reason != stored.reason ||
      signed_receipt->nginx_output != stored.nginx_output ||
      signed_receipt->serving_version != stored.serving_version) {
    checked.check = "the stored row differs from what the node signed";
    return checked;
  }
  checked.signed_at = signed_receipt->at;
  checked.check = "signature verified";
  return checked;
}

}  // namespace

Result<std::vector<CheckedReceipt>> FleetService::nodeReceipts(const Caller& caller, Id cluster_id,
                                                               Id node_id, std::size_t limit) {
  VANTUS_TRY_VOID(authorize(caller.principal, "edges:read", std::nullopt));
  return readValue<std::vector<CheckedReceipt>>(
      store_, [&](Transaction& tx) -> Result<std::vector<CheckedReceipt>> {
        VANTUS_TRY(EdgeNode node, nodeOfCluster(tx, cluster_id, node_id));
        VANTUS_TRY(std::vector<NodeReceipt> rows, tx.receiptsOfNode(node_id, limit));
        std::vector<CheckedReceipt> receipts;
        for (NodeReceipt& row : rows) {
          receipts.push_back(checkStoredReceipt(node, std::move(row)));
        }
        return receipts;
      });
}

namespace {

nlohmann::json nodeAudit(const EdgeNode& node) {
  return {{"cluster", node.cluster}, {"name", node.name}, {"drained", node.drained}};
}

}  // namespace

Result<NodeStatus> FleetService::updateNode(const Caller& caller, Id cluster_id, Id node_id,
                                            const NodeUpdate& update) {
  VANTUS_TRY_VOID(authorize(caller.principal, "edges:write", std::nullopt));
  std::optional<std::string> name;
  if (update.name) {
    VANTUS_TRY(name, parseSlug(*update.name, "name"));
  }
  VANTUS_TRY(EdgeNode after, writeValue<EdgeNode>(store_, [&](Transaction& tx) -> Result<EdgeNode> {
               VANTUS_TRY(EdgeNode before, nodeOfCluster(tx, cluster_id, node_id));
               EdgeNode wanted = before;
               wanted.name = name.value_or(before.name);
               wanted.drained = update.drained.value_or(before.drained);
               VANTUS_TRY(EdgeNode changed, tx.updateNode(wanted));
               VANTUS_TRY_VOID(recordWrite(tx, caller, std::nullopt, "node.update",
                                           fmt::format("edge_node:{}", node_id), nodeAudit(before),
                                           nodeAudit(changed)));
               return changed;
             }));
  forgetCredentials();
  log::info("node.updated",
            {{"node", after.name}, {"cluster", after.cluster}, {"drained", after.drained}});
  return statusOf(std::move(after));
}

Result<void> FleetService::deleteNode(const Caller& caller, Id cluster_id, Id node_id) {
  VANTUS_TRY_VOID(authorize(caller.principal, "edges:write", std::nullopt));
  VANTUS_TRY(EdgeNode gone, writeValue<EdgeNode>(store_, [&](Transaction& tx) -> Result<EdgeNode> {
               VANTUS_TRY(EdgeNode before, nodeOfCluster(tx, cluster_id, node_id));
               VANTUS_TRY_VOID(tx.deleteNode(node_id));
               VANTUS_TRY_VOID(recordWrite(tx, caller, std::nullopt, "node.delete",
                                           fmt::format("edge_node:{}", node_id), nodeAudit(before),
                                           nullptr));
               return before;
             }));
  forgetCredentials();
  log::warn("node.deleted", {{"node", gone.name}, {"cluster", gone.cluster}});
  return ok();
}

void FleetService::forgetCredentials() {
  std::lock_guard lock(mutex_);
  by_credential_hash_.clear();
  ++cache_epoch_;
}

Result<std::vector<DeploymentNodeState>> FleetService::deploymentNodes(const Caller& caller,
                                                                       Id deployment_id) {
  return readValue<std::vector<DeploymentNodeState>>(
      store_, [&](Transaction& tx) -> Result<std::vector<DeploymentNodeState>> {
        VANTUS_TRY(Deployment deployment, tx.deployment(deployment_id));
        // A deployment of a tenant the caller cannot see does not exist for it.
        if (Result<void> allowed = authorize(caller.principal, "config:read", deployment.tenant_id);
            !allowed) {
          if (allowed.error().code == ErrorCode::kNotFound) {
            return fail(ErrorCode::kNotFound,
                        fmt::format("deployment {} not found", deployment_id));
          }
          return fail(allowed.error());
        }
        VANTUS_TRY(std::vector<Release> releases, tx.releasesOfDeployment(deployment_id));
        std::vector<DeploymentNodeState> states;
        for (const Release& release : releases) {
          VANTUS_TRY(EdgeCluster cluster, tx.cluster(release.cluster_id));
          VANTUS_TRY(std::vector<EdgeNode> nodes, tx.listNodes(cluster.id));
          VANTUS_TRY(std::vector<NodeReceipt> receipts,
                     tx.receiptsForVersion(cluster.id, release.version));
          for (const EdgeNode& node : nodes) {
            DeploymentNodeState state{.cluster = cluster.name,
                                      .version = release.version,
                                      .node = node.name,
                                      .state = "pending"};
            for (const NodeReceipt& receipt : receipts) {
              if (receipt.node_id == node.id) {
                state.state = receipt.result == "repaired" ? "applied" : receipt.result;
                state.reason = receipt.reason;
                state.nginx_output = receipt.nginx_output;
                state.receipt_check = checkStoredReceipt(node, receipt).check;
              }
            }
            if (state.state == "pending" && node.applied_version > release.version) {
              state.state = "superseded";
            } else if (state.state == "pending" && node.applied_version == release.version &&
                       node.applied_version > 0) {
              state.state = "applied";
            } else if (state.state == "pending" && node.drained) {
              state.state = "drained";
            }
            states.push_back(std::move(state));
          }
        }
        return states;
      });
}

}  // namespace vantus::controller
