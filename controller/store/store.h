#pragma once
// The controller's SQLite store: the draft model, users, clusters, deployments, releases
// and the audit log. Every write happens inside Store::write(), one IMMEDIATE transaction
// that commits only when the callback succeeds; the callback appends its own audit row so a
// change and its audit entry land together or not at all. Values going in have been parsed
// (controller/model/validate.h); the store re-checks only uniqueness and references.
//
// Threads: a Store may be used from many threads. Writes are serialised on one connection;
// reads run on a pool of read-only connections and see the last committed state (WAL).
// A Transaction must not escape the callback it was given to.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/core/result.h"
#include "controller/model/types.h"

namespace vantus::controller {

// Who did something. kind: "user", "token", "node", "system".
struct Actor {
  std::string kind = "system";
  std::string id;     // users.id / api_tokens.id as text, or a name for "system"
  std::string name;   // display name, e.g. the user's email
  std::string email;  // becomes the git author email; may be empty for system
  std::string source_address;
  std::string user_agent;
};

struct AuditEntry {
  Id id = 0;
  std::string time;  // RFC 3339 UTC; set by appendAudit
  Actor actor;
  std::optional<Id> tenant_id;
  std::string action;     // "tenant.create", "domain.delete", "deployment.create", ...
  std::string target;     // "tenant:12", "domain:7", ...
  nlohmann::json before;  // null when created; never holds secrets
  nlohmann::json after;   // null when deleted
  std::string prev_hash;  // hex sha256 of the previous row ("" for the first)
  std::string hash;       // hex sha256 over prev_hash and this row's canonical content
};

// Which audit rows to list; empty members match everything.
struct AuditFilter {
  std::optional<Id> tenant_id{};
  std::string actor{};   // the actor's email or name
  std::string action{};  // exact ("tenant.create") or a family ending in "." ("tenant.")
  std::string since{};   // RFC 3339 UTC, inclusive
  std::string until{};   // RFC 3339 UTC, exclusive
};

struct User {
  Id id = 0;
  std::string email;          // lowercased
  std::string password_hash;  // argon2id encoded string; "" = password login disabled
  bool is_platform_admin = false;
  bool disabled = false;
  std::string created_at;
};

struct Membership {
  Id user_id = 0;
  Id tenant_id = 0;
  TenantRole role = TenantRole::kViewer;
  std::string email{};       // the user's, when read back
  std::string created_at{};  // when read back
};

struct ApiToken {
  Id id = 0;
  Id user_id = 0;
  std::string name;
  std::string prefix;       // public part of the token, unique
  std::string secret_hash;  // sha256 hex of the secret part
  std::vector<std::string> scopes;
  std::optional<Id> tenant_id;             // bound to one tenant
  std::optional<std::int64_t> expires_at;  // unix seconds
  bool revoked = false;
  std::string created_at;
  std::string last_used_at;
  std::string last_used_address;
};

enum class DeploymentKind { kDeploy, kRollback };
enum class DeploymentStatus { kCommitted, kReleased, kFailed };

struct Deployment {
  Id id = 0;  // allocated by the caller with nextDeploymentId() (it goes into the commit)
  Id tenant_id = 0;
  DeploymentKind kind = DeploymentKind::kDeploy;
  std::optional<Id> rollback_of;  // for kRollback: the deployment restored
  DeploymentStatus status = DeploymentStatus::kCommitted;
  std::string status_detail;
  std::string actor_name;
  std::string message;
  std::string commit_id;    // 40 hex
  nlohmann::json snapshot;  // the tenant's model as deployed (TenantConfig as JSON)
  std::string created_at;
};

// A deployment id reserved before its commit (schema/migrations/0007): what the deployment's
// record and audit row will need if the process dies before it records them.
struct DeploymentReservation {
  Id id = 0;  // set by reserveDeployment()
  Id tenant_id = 0;
  DeploymentKind kind = DeploymentKind::kDeploy;
  std::optional<Id> rollback_of;
  std::string base_commit;  // the head the commit goes on ("" before the first)
  Actor actor;
  std::string message;
  nlohmann::json snapshot;  // the tenant's model being deployed
  std::string created_at;
};

struct Release {
  Id id = 0;
  Id cluster_id = 0;
  std::uint64_t version = 0;  // monotonic per cluster, 1, 2, ...
  std::optional<Id> deployment_id;
  std::string commit_id;
  std::string digest;           // sha256 hex of the bundle bytes
  std::string envelope_json;    // DSSE envelope
  std::int64_t created_at = 0;  // unix seconds
  std::int64_t expires_at = 0;  // unix seconds
  std::int64_t signed_at = 0;   // unix seconds of the latest (re-)signature
};

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

// The stored first answer to a POST with an Idempotency-Key. status 0: the write it protects
// committed (claimIdempotencyKey in its transaction) but its answer was not stored yet; the
// write's audit target (e.g. "deployment:42") says what it made.
struct IdempotentResponse {
  std::string request_hash;
  int status = 0;
  std::string target{};
  std::string content_type;
  std::string location;
  std::string body;
};

class Transaction;

class Store {
 public:
  // Opens (creating if absent) the database at `path`, turns on WAL, foreign keys and a busy
  // timeout, and applies every migration of `migrations_dir` (schema/migrations/NNNN_*.sql)
  // not yet applied, each in its own transaction, in order. Forward-only: a database that
  // has a migration this build does not know is refused (kFailedPrecondition).
  static Result<std::unique_ptr<Store>> open(const std::filesystem::path& path,
                                             const std::filesystem::path& migrations_dir);
  virtual ~Store() = default;

  // Runs `work` in one write transaction; commits when it returns a value, rolls back when
  // it returns an error (which is returned unchanged) or throws.
  virtual Result<void> write(const std::function<Result<void>(Transaction&)>& work) = 0;
  // Runs `work` on a read-only snapshot. Write methods on the Transaction fail.
  virtual Result<void> read(const std::function<Result<void>(Transaction&)>& work) const = 0;
  // A cheap query proving the database answers (for /readyz).
  virtual Result<void> ping() const = 0;
  // Counts the writes this process committed. What was read at one generation is still
  // current while it holds — except for writes of other processes (the CLI), which it
  // does not count.
  virtual std::uint64_t writeGeneration() const = 0;
};

// All queries. Errors: kNotFound (message names the kind and id), kAlreadyExists with
// Error.field set (e.g. "slug", "name") on a uniqueness conflict, kFailedPrecondition for a
// reference that still has dependants, kIo for SQLite failures.
class Transaction {
 public:
  virtual ~Transaction() = default;
  virtual std::int64_t now() const = 0;  // unix seconds, fixed for the transaction

  // --- tenants ---
  virtual Result<Tenant> insertTenant(const Tenant& tenant) = 0;  // sets id and timestamps
  virtual Result<Tenant> tenant(Id id) = 0;
  virtual Result<Tenant> tenantBySlug(std::string_view slug) = 0;
  virtual Result<std::vector<Tenant>> listTenants(Id after_id, std::size_t limit) = 0;
  virtual Result<Tenant> updateTenant(const Tenant& tenant) = 0;  // name, status
  virtual Result<void> deleteTenant(Id id) = 0;  // cascades to its domains, pools, policy

  // --- domains (name unique across all tenants) ---
  virtual Result<Domain> insertDomain(const Domain& domain) = 0;
  virtual Result<Domain> domain(Id id) = 0;
  virtual Result<std::vector<Domain>> domainsOfTenant(Id tenant_id) = 0;  // by name
  virtual Result<Domain> updateDomain(const Domain& domain) = 0;
  virtual Result<void> deleteDomain(Id id) = 0;
  // The tenant holding the domain `name`, nullopt when nobody does.
  virtual Result<std::optional<Id>> domainOwner(std::string_view name) = 0;

  // --- upstream pools (name unique per tenant), targets stored in order ---
  virtual Result<UpstreamPool> insertPool(const UpstreamPool& pool) = 0;
  virtual Result<UpstreamPool> pool(Id id) = 0;
  virtual Result<std::vector<UpstreamPool>> poolsOfTenant(Id tenant_id) = 0;  // by id
  virtual Result<UpstreamPool> updatePool(const UpstreamPool& pool) = 0;      // replaces targets
  virtual Result<void> deletePool(Id id) = 0;

  // --- edge policy: one per tenant; a tenant without a row has the defaults of types.h ---
  virtual Result<EdgePolicy> policyOfTenant(Id tenant_id) = 0;
  virtual Result<EdgePolicy> putPolicy(const EdgePolicy& policy) = 0;

  // Tenant + domains + pools + policy.
  virtual Result<TenantConfig> tenantConfig(Id tenant_id) = 0;

  // --- edge clusters and assignments ---
  virtual Result<EdgeCluster> insertCluster(const EdgeCluster& cluster) = 0;
  virtual Result<EdgeCluster> cluster(Id id) = 0;
  virtual Result<EdgeCluster> clusterByName(std::string_view name) = 0;
  virtual Result<std::vector<EdgeCluster>> listClusters() = 0;  // by name
  virtual Result<void> deleteCluster(Id id) = 0;  // kFailedPrecondition while tenants assigned
  virtual Result<void> assign(Id tenant_id, Id cluster_id) = 0;    // idempotent
  virtual Result<void> unassign(Id tenant_id, Id cluster_id) = 0;  // kNotFound if not assigned
  virtual Result<std::vector<EdgeCluster>> clustersOfTenant(Id tenant_id) = 0;  // by name

  // --- users and memberships ---
  virtual Result<User> insertUser(const User& user) = 0;
  virtual Result<User> user(Id id) = 0;
  virtual Result<User> userByEmail(std::string_view email) = 0;
  virtual Result<std::size_t> countUsers() = 0;
  virtual Result<std::vector<User>> listUsers(Id after_id, std::size_t limit) = 0;  // by id
  virtual Result<User> updateUser(const User& user) = 0;  // is_platform_admin, disabled
  virtual Result<void> deleteUser(Id id) = 0;             // with its tokens and memberships
  virtual Result<std::size_t> countActivePlatformAdmins() = 0;
  virtual Result<void> putMembership(const Membership& membership) = 0;  // insert or update
  virtual Result<std::vector<Membership>> membershipsOfUser(Id user_id) = 0;
  virtual Result<std::vector<Membership>> membershipsOfTenant(Id tenant_id) = 0;  // by user id
  virtual Result<void> deleteMembership(Id user_id, Id tenant_id) = 0;  // kNotFound if none

  // --- API tokens ---
  virtual Result<ApiToken> insertApiToken(const ApiToken& token) = 0;  // sets id, created_at
  virtual Result<ApiToken> apiTokenByPrefix(std::string_view prefix) = 0;
  virtual Result<std::vector<ApiToken>> apiTokensOfUser(Id user_id) = 0;  // by id
  virtual Result<void> revokeApiToken(Id id) = 0;
  virtual Result<void> renameApiToken(Id id, std::string_view name) = 0;
  virtual Result<void> touchApiToken(Id id, std::string_view address) = 0;  // last used: now

  // --- deployments ---
  virtual Result<Id> nextDeploymentId() = 0;                                      // max(id) + 1
  virtual Result<Deployment> insertDeployment(const Deployment& deployment) = 0;  // keeps id
  virtual Result<Deployment> deployment(Id id) = 0;
  virtual Result<void> setDeploymentStatus(Id id, DeploymentStatus status,
                                           std::string_view detail) = 0;
  // Newest first, ids below `before_id` (0 = from the newest).
  virtual Result<std::vector<Deployment>> deploymentsOfTenant(Id tenant_id, Id before_id,
                                                              std::size_t limit) = 0;
  virtual Result<std::optional<Deployment>> lastDeployment() = 0;
  // Reserves the next deployment id (past every deployment and reservation) for `reservation`.
  virtual Result<Id> reserveDeployment(const DeploymentReservation& reservation) = 0;
  virtual Result<std::vector<DeploymentReservation>> deploymentReservations() = 0;  // by id
  virtual Result<void> deleteDeploymentReservation(Id id) = 0;  // kNotFound if none

  // --- releases ---
  virtual Result<Release> insertRelease(const Release& release) = 0;  // (cluster, version) unique
  virtual Result<std::optional<Release>> latestRelease(Id cluster_id) = 0;
  virtual Result<std::vector<Release>> releasesOfDeployment(Id deployment_id) = 0;
  // Latest release of each cluster whose expires_at < `time`.
  virtual Result<std::vector<Release>> latestReleasesExpiringBefore(std::int64_t time) = 0;
  // Re-signature of the same version: new envelope, digest, expires_at and signed_at.
  virtual Result<void> updateReleaseSignature(const Release& release) = 0;

  // Latest release with a built bundle (digest set) of every cluster that has one.
  virtual Result<std::vector<Release>> latestBuiltReleases() = 0;

  // --- idempotency keys ---
  virtual Result<std::optional<IdempotentResponse>> idempotentResponse(Id token_id,
                                                                       std::string_view key) = 0;
  // Records, inside the transaction of the write a POST's key protects, that the write
  // happened and what it made (`target`, an audit target); a second claim is ignored.
  virtual Result<void> claimIdempotencyKey(Id token_id, std::string_view key,
                                           std::string_view request_hash,
                                           std::string_view target) = 0;
  // Keeps the first answer (replacing a claim; a concurrent duplicate answer is ignored) and
  // forgets answers older than `keep_seconds`.
  virtual Result<void> saveIdempotentResponse(Id token_id, std::string_view key,
                                              const IdempotentResponse& response,
                                              std::int64_t keep_seconds) = 0;
  // Forgets the unanswered claims of `target`: the write they name was never made.
  virtual Result<void> releaseIdempotencyClaims(std::string_view target) = 0;

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
  // The newest receipt of each node of the cluster about `version`.
  virtual Result<std::vector<NodeReceipt>> receiptsForVersion(Id cluster_id,
                                                              std::uint64_t version) = 0;

  // --- audit log (hash-chained) ---
  virtual Result<AuditEntry> appendAudit(const AuditEntry& entry) = 0;  // sets id, time, hashes
  // Newest first, ids below `before_id` (0 = from the newest), the rows `filter` matches.
  virtual Result<std::vector<AuditEntry>> auditEntries(const AuditFilter& filter, Id before_id,
                                                       std::size_t limit) = 0;
  Result<std::vector<AuditEntry>> auditEntries(std::optional<Id> tenant_id, Id before_id,
                                               std::size_t limit) {
    return auditEntries(AuditFilter{.tenant_id = tenant_id}, before_id, limit);
  }
};

std::string_view deploymentKindName(DeploymentKind kind);        // "deploy", "rollback"
std::string_view deploymentStatusName(DeploymentStatus status);  // "committed", ...

}  // namespace vantus::controller
