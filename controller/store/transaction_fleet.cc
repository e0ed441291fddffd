#include <fmt/format.h>

#include "common/core/time.h"
#include "controller/store/sqlite_transaction.h"
#include "controller/store/store_support.h"

namespace vantus::controller {

using store_support::conflict;
using store_support::notFound;

namespace {

constexpr std::string_view kNodeColumns =
    "n.id, n.cluster_id, c.name, n.name, n.public_key, coalesce(n.enrolled_at, ''), "
    "n.last_seen_unix, n.applied_version, n.applied_digest, n.nginx_version, n.drift, n.expired, "
    "n.last_result, n.last_reason, n.created_at, n.drained, "
    "CASE WHEN n.enrolled_name = '' THEN n.name ELSE n.enrolled_name END";

EdgeNode nodeFromRow(const sqlite::Statement& row) {
  EdgeNode node;
  node.id = row.integer(0);
  node.cluster_id = row.integer(1);
  node.cluster = row.text(2);
  node.name = row.text(3);
  node.public_key = row.text(4);
  node.enrolled_at = row.text(5);
  node.last_seen_unix = row.integer(6);
  node.applied_version = static_cast<std::uint64_t>(row.integer(7));
  node.applied_digest = row.text(8);
  node.nginx_version = row.text(9);
  node.drift = row.boolean(10);
  node.expired = row.boolean(11);
  node.last_result = row.text(12);
  node.last_reason = row.text(13);
  node.created_at = row.text(14);
  node.drained = row.boolean(15);
  node.enrolled_name = row.text(16);
  return node;
}

}  // namespace

Result<std::vector<Release>> SqliteTransaction::latestBuiltReleases() {
  // Without envelope_json: this runs several times a second and the envelope of a large
  // cluster is megabytes.
  VANTUS_TRY(
      sqlite::Statement query,
      db_.prepare("SELECT r.cluster_id, r.version, r.digest, r.expires_at FROM releases r "
                  "WHERE r.digest != '' AND r.version = (SELECT max(version) FROM releases "
                  "WHERE cluster_id = r.cluster_id AND digest != '') ORDER BY r.cluster_id"));
  std::vector<Release> releases;
  while (true) {
    VANTUS_TRY(bool row, query.step());
    if (!row) {
      return releases;
    }
    Release release;
    release.cluster_id = query.integer(0);
    release.version = static_cast<std::uint64_t>(query.integer(1));
    release.digest = query.text(2);
    release.expires_at = query.integer(3);
    releases.push_back(std::move(release));
  }
}

Result<void> SqliteTransaction::insertEnrollmentToken(Id cluster_id, std::string_view token_hash,
                                                      std::int64_t expires_at) {
  VANTUS_TRY_VOID(requireWritable("insertEnrollmentToken"));
  VANTUS_TRY_VOID(
      requireRow("SELECT 1 FROM edge_clusters WHERE id = ?", "edge cluster", cluster_id));
  VANTUS_TRY(sqlite::Statement insert,
             db_.prepare("INSERT INTO enrollment_tokens (cluster_id, token_hash, expires_at, "
                         "created_at) VALUES (?, ?, ?, ?)"));
  insert.bindInt(cluster_id).bindText(token_hash).bindInt(expires_at).bindInt(now_);
  return insert.run();
}

Result<EdgeNode> SqliteTransaction::enrollNode(std::string_view token_hash, std::string_view name,
                                               std::string_view public_key,
                                               std::string_view credential_hash) {
  VANTUS_TRY_VOID(requireWritable("enrollNode"));
  VANTUS_TRY(sqlite::Statement token,
             db_.prepare("SELECT id, cluster_id FROM enrollment_tokens WHERE token_hash = ? "
                         "AND used_at IS NULL AND expires_at > ?"));
  token.bindText(token_hash).bindInt(now_);
  VANTUS_TRY(bool found, token.step());
  if (!found) {
    return fail(ErrorCode::kUnauthenticated,
                "the enrolment token is unknown, spent or expired; ask for a new one "
                "(vantus-controller cluster enroll-token)");
  }
  const Id token_id = token.integer(0);
  const Id cluster_id = token.integer(1);

  VANTUS_TRY(
      sqlite::Statement existing,
      db_.prepare("SELECT id, public_key FROM edge_nodes WHERE cluster_id = ? AND name = ?"));
  existing.bindInt(cluster_id).bindText(name);
  VANTUS_TRY(bool exists, existing.step());
  Id node_id = 0;
  const std::string now_text = nowText();
  if (exists) {
    if (!existing.text(1).empty()) {
      return fail(ErrorCode::kConflict,
                  fmt::format("node {:?} is already enrolled in this cluster; pick another name "
                              "or decommission the old node",
                              name),
                  "name");
    }
    node_id = existing.integer(0);
    VANTUS_TRY(
        sqlite::Statement update,
        db_.prepare("UPDATE edge_nodes SET public_key = ?, credential_hash = ?, "
                    "enrolled_at = ?, status = 'enrolled', enrolled_name = '' WHERE id = ?"));
    update.bindText(public_key).bindText(credential_hash).bindText(now_text).bindInt(node_id);
    VANTUS_TRY_VOID(update.run());
  } else {
    VANTUS_TRY(
        sqlite::Statement insert,
        db_.prepare("INSERT INTO edge_nodes (cluster_id, name, public_key, credential_hash, "
                    "enrolled_at, status, created_at) VALUES (?, ?, ?, ?, ?, 'enrolled', ?)"));
    insert.bindInt(cluster_id)
        .bindText(name)
        .bindText(public_key)
        .bindText(credential_hash)
        .bindText(now_text)
        .bindText(now_text);
    if (Result<void> done = insert.run(); !done) {
      return conflict(std::move(done).error(), "this node is already enrolled", "name");
    }
    node_id = db_.lastInsertRowid();
  }
  VANTUS_TRY(
      sqlite::Statement spend,
      db_.prepare("UPDATE enrollment_tokens SET used_at = ?, used_by_node = ? WHERE id = ?"));
  spend.bindInt(now_).bindInt(node_id).bindInt(token_id);
  VANTUS_TRY_VOID(spend.run());
  return nodeByCredentialHash(credential_hash);
}

Result<EdgeNode> SqliteTransaction::nodeByCredentialHash(std::string_view credential_hash) {
  VANTUS_TRY(sqlite::Statement query,
             db_.prepare(fmt::format("SELECT {} FROM edge_nodes n JOIN edge_clusters c ON "
                                     "c.id = n.cluster_id WHERE n.credential_hash = ? AND "
                                     "n.credential_hash != ''",
                                     kNodeColumns)));
  query.bindText(credential_hash);
  VANTUS_TRY(bool found, query.step());
  if (!found) {
    return fail(ErrorCode::kNotFound, "no node has this credential");
  }
  return nodeFromRow(query);
}

Result<std::vector<EdgeNode>> SqliteTransaction::listNodes(std::optional<Id> cluster_id) {
  VANTUS_TRY(sqlite::Statement query,
             db_.prepare(fmt::format("SELECT {} FROM edge_nodes n JOIN edge_clusters c ON "
                                     "c.id = n.cluster_id WHERE ? IS NULL OR n.cluster_id = ? "
                                     "ORDER BY c.name, n.name",
                                     kNodeColumns)));
  query.bindOptionalInt(cluster_id).bindOptionalInt(cluster_id);
  std::vector<EdgeNode> nodes;
  while (true) {
    VANTUS_TRY(bool row, query.step());
    if (!row) {
      return nodes;
    }
    nodes.push_back(nodeFromRow(query));
  }
}

Result<EdgeNode> SqliteTransaction::node(Id id) {
  VANTUS_TRY(sqlite::Statement query,
             db_.prepare(fmt::format("SELECT {} FROM edge_nodes n JOIN edge_clusters c ON "
                                     "c.id = n.cluster_id WHERE n.id = ?",
                                     kNodeColumns)));
  query.bindInt(id);
  VANTUS_TRY(bool found, query.step());
  if (!found) {
    return notFound("edge node", id);
  }
  return nodeFromRow(query);
}

Result<EdgeNode> SqliteTransaction::updateNode(const EdgeNode& node) {
  VANTUS_TRY_VOID(requireWritable("updateNode"));
  VANTUS_TRY(sqlite::Statement update,
             db_.prepare("UPDATE edge_nodes SET enrolled_name = CASE WHEN enrolled_name = '' "
                         "THEN name ELSE enrolled_name END, name = ?, drained = ? WHERE id = ?"));
  update.bindText(node.name).bindBool(node.drained).bindInt(node.id);
  if (Result<void> done = update.run(); !done) {
    return conflict(
        std::move(done).error(),
        fmt::format("cluster {} already has a node named \"{}\"", node.cluster, node.name), "name");
  }
  if (db_.changes() == 0) {
    return notFound("edge node", node.id);
  }
  return this->node(node.id);
}

Result<void> SqliteTransaction::deleteNode(Id id) {
  VANTUS_TRY_VOID(requireWritable("deleteNode"));
  return deleteRow("DELETE FROM edge_nodes WHERE id = ?", "edge node", id);
}

Result<void> SqliteTransaction::recordHeartbeat(Id node_id, const NodeHeartbeat& heartbeat) {
  VANTUS_TRY_VOID(requireWritable("recordHeartbeat"));
  VANTUS_TRY(sqlite::Statement update,
             db_.prepare("UPDATE edge_nodes SET last_seen_unix = ?, last_seen_at = ?, "
                         "applied_version = ?, applied_digest = ?, nginx_version = ?, drift = ?, "
                         "expired = ?, last_result = CASE WHEN ? = '' THEN last_result ELSE ? END "
                         "WHERE id = ?"));
  update.bindInt(now_)
      .bindText(nowText())
      .bindInt(static_cast<std::int64_t>(heartbeat.applied_version))
      .bindText(heartbeat.applied_digest)
      .bindText(heartbeat.nginx_version)
      .bindBool(heartbeat.drift)
      .bindBool(heartbeat.expired)
      .bindText(heartbeat.last_result)
      .bindText(heartbeat.last_result)
      .bindInt(node_id);
  VANTUS_TRY_VOID(update.run());
  if (db_.changes() == 0) {
    return fail(ErrorCode::kNotFound, fmt::format("node {} not found", node_id));
  }
  return ok();
}

Result<bool> SqliteTransaction::receiptStored(Id node_id, std::uint64_t version,
                                              std::string_view envelope_json) {
  VANTUS_TRY(sqlite::Statement query,
             db_.prepare("SELECT 1 FROM node_receipts WHERE node_id = ? AND version = ? AND "
                         "envelope_json = ?"));
  query.bindInt(node_id).bindInt(static_cast<std::int64_t>(version)).bindText(envelope_json);
  return query.step();
}

Result<void> SqliteTransaction::insertReceipt(const NodeReceipt& receipt) {
  VANTUS_TRY_VOID(requireWritable("insertReceipt"));
  VANTUS_TRY_VOID(requireRow("SELECT 1 FROM edge_nodes WHERE id = ?", "node", receipt.node_id));
  VANTUS_TRY(sqlite::Statement insert,
             db_.prepare("INSERT INTO node_receipts (node_id, version, digest, result, reason, "
                         "nginx_output, serving_version, envelope_json, received_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  insert.bindInt(receipt.node_id)
      .bindInt(static_cast<std::int64_t>(receipt.version))
      .bindText(receipt.digest)
      .bindText(receipt.result)
      .bindText(receipt.reason)
      .bindText(receipt.nginx_output)
      .bindInt(static_cast<std::int64_t>(receipt.serving_version))
      .bindText(receipt.envelope_json)
      .bindInt(now_);
  VANTUS_TRY_VOID(insert.run());
  VANTUS_TRY(sqlite::Statement update,
             db_.prepare("UPDATE edge_nodes SET last_seen_unix = ?, last_seen_at = ?, "
                         "applied_version = ?, applied_digest = CASE WHEN ? IN ('applied', "
                         "'repaired') THEN ? ELSE applied_digest END, last_result = ?, "
                         "last_reason = ? WHERE id = ?"));
  update.bindInt(now_)
      .bindText(nowText())
      .bindInt(static_cast<std::int64_t>(receipt.serving_version))
      .bindText(receipt.result)
      .bindText(receipt.digest)
      .bindText(receipt.result)
      .bindText(receipt.reason)
      .bindInt(receipt.node_id);
  return update.run();
}

namespace {

constexpr std::string_view kReceiptColumns =
    "r.node_id, n.name, r.version, r.digest, r.result, r.reason, r.nginx_output, "
    "r.serving_version, r.envelope_json, r.received_at";

Result<std::vector<NodeReceipt>> receiptRows(sqlite::Statement& query) {
  std::vector<NodeReceipt> receipts;
  while (true) {
    VANTUS_TRY(bool row, query.step());
    if (!row) {
      return receipts;
    }
    NodeReceipt receipt;
    receipt.node_id = query.integer(0);
    receipt.node = query.text(1);
    receipt.version = static_cast<std::uint64_t>(query.integer(2));
    receipt.digest = query.text(3);
    receipt.result = query.text(4);
    receipt.reason = query.text(5);
    receipt.nginx_output = query.text(6);
    receipt.serving_version = static_cast<std::uint64_t>(query.integer(7));
    receipt.envelope_json = query.text(8);
    receipt.received_at = query.integer(9);
    receipts.push_back(std::move(receipt));
  }
}

}  // namespace

Result<std::vector<NodeReceipt>> SqliteTransaction::receiptsForVersion(Id cluster_id,
                                                                       std::uint64_t version) {
  VANTUS_TRY(sqlite::Statement query,
             db_.prepare(fmt::format(
                 "SELECT {} FROM node_receipts r JOIN edge_nodes n ON n.id = r.node_id "
                 "WHERE n.cluster_id = ? AND r.version = ? AND r.id = (SELECT max(id) "
                 "FROM node_receipts WHERE node_id = r.node_id AND version = r.version) "
                 "ORDER BY n.name",
                 kReceiptColumns)));
  query.bindInt(cluster_id).bindInt(static_cast<std::int64_t>(version));
  return receiptRows(query);
}

Result<std::vector<NodeReceipt>> SqliteTransaction::receiptsOfNode(Id node_id, std::size_t limit) {
  VANTUS_TRY(sqlite::Statement query,
             db_.prepare(
                 fmt::format("SELECT {} FROM node_receipts r JOIN edge_nodes n ON n.id = r.node_id "
                             "WHERE r.node_id = ? ORDER BY r.id DESC LIMIT ?",
                             kReceiptColumns)));
  query.bindInt(node_id).bindInt(sqlLimit(limit));
  return receiptRows(query);
}

}  // namespace vantus::controller
