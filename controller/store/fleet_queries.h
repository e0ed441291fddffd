#pragma once
#ifdef VANTUS_FRONT_DOOR
#error "a front door (controller/api) reaches the store only through the services"
#endif
// Edge nodes: enrolment, credentials, heartbeats and receipts. Part of Transaction
// (transaction.h).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"
#include "controller/model/fleet_records.h"

namespace vantus::controller {

class FleetQueries {
 public:
  // --- edge fleet ---
  virtual Result<void> insertEnrollmentToken(Id cluster_id, std::string_view token_hash,
                                             std::int64_t expires_at) = 0;
  // Spends the token and enrols `name` in its cluster with the node's key and the hash of
  // its credential. kUnauthenticated for an unknown, spent or expired token (one message for
  // all three); kConflict when the cluster already has an enrolled node of that name.
  virtual Result<EdgeNode> enrollNode(std::string_view token_hash, std::string_view name,
                                      std::string_view public_key,
                                      std::string_view credential_hash) = 0;
  virtual Result<EdgeNode> nodeByCredentialHash(std::string_view credential_hash) = 0;
  virtual Result<std::vector<EdgeNode>> listNodes(std::optional<Id> cluster_id) = 0;  // by name
  virtual Result<EdgeNode> node(Id id) = 0;
  virtual Result<EdgeNode> updateNode(const EdgeNode& node) = 0;  // name, drained
  virtual Result<void> deleteNode(Id id) = 0;                     // with its receipts
  virtual Result<void> recordHeartbeat(Id node_id, const NodeHeartbeat& heartbeat) = 0;
  // Stores the receipt and marks the node seen, serving the receipt's serving_version (and,
  // when applied or repaired, its digest).
  virtual Result<void> insertReceipt(const NodeReceipt& receipt) = 0;
  // Whether this very envelope was stored for the node already (a retry or a replay).
  virtual Result<bool> receiptStored(Id node_id, std::uint64_t version,
                                     std::string_view envelope_json) = 0;
  // The newest receipt of each node of the cluster about `version`.
  virtual Result<std::vector<NodeReceipt>> receiptsForVersion(Id cluster_id,
                                                              std::uint64_t version) = 0;
  // The node's newest `limit` receipts, newest first.
  virtual Result<std::vector<NodeReceipt>> receiptsOfNode(Id node_id, std::size_t limit) = 0;

 protected:
  ~FleetQueries() = default;
};

}  // namespace vantus::controller
