#pragma once
// Edge nodes, their signed receipts and what a heartbeat changes, as stored.
#include <cstdint>
#include <string>

#include "controller/model/types.h"

namespace vantus::controller {

// A node of an edge cluster. Liveness is derived from last_seen_unix when read.
struct EdgeNode {
  Id id = 0;
  Id cluster_id = 0;
  std::string cluster;  // its name
  std::string name;
  std::string enrolled_name;  // what its signed receipts and heartbeats call it
  std::string public_key;     // PEM; empty until enrolled
  std::string enrolled_at;
  std::int64_t last_seen_unix = 0;
  std::uint64_t applied_version = 0;
  std::string applied_digest;
  std::string nginx_version;
  bool drift = false;
  bool expired = false;
  bool drained = false;
  std::string last_result;
  std::string last_reason;
  std::string created_at;
};

struct NodeReceipt {
  Id node_id = 0;
  std::string node;  // its name
  std::uint64_t version = 0;
  std::string digest;
  std::string result;
  std::string reason;
  std::string nginx_output;
  std::uint64_t serving_version = 0;
  std::string envelope_json;
  std::int64_t received_at = 0;
};

// What a heartbeat changes on the node's row.
struct NodeHeartbeat {
  std::uint64_t applied_version = 0;
  std::string applied_digest;
  std::string nginx_version;
  bool drift = false;
  bool expired = false;
  bool drained = false;
  std::string last_result;
};

}  // namespace vantus::controller
