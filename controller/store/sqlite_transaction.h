#pragma once
#ifdef VANTUS_FRONT_DOOR
#error "a front door (controller/api) reaches the store only through the services"
#endif
// The Transaction of store.h on one SQLite connection inside an open BEGIN ... COMMIT that
// SqliteStore owns. Lives only for the duration of one write()/read() callback. A read-only
// instance refuses every write method with kFailedPrecondition before touching SQLite.
// The methods are implemented by entity in transaction_<entity>.cc.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "controller/store/sqlite_connection.h"
#include "controller/store/store.h"

namespace vantus::controller {

class SqliteTransaction final : public Transaction {
 public:
  enum class Access { kReadWrite, kReadOnly };

  // `audit_key` keys the audit rows this transaction appends (controller/store/audit_chain.h).
  SqliteTransaction(sqlite::Connection& db, std::int64_t now, Access access,
                    const std::optional<AuditChainKey>& audit_key)
      : db_(db), now_(now), access_(access), audit_key_(audit_key) {}

  std::int64_t now() const override { return now_; }

  Result<Tenant> insertTenant(const Tenant& tenant) override;
  Result<Tenant> tenant(Id id) override;
  Result<Tenant> tenantBySlug(std::string_view slug) override;
  Result<std::vector<Tenant>> listTenants(Id after_id, std::size_t limit,
                                          std::string_view containing = {}) override;
  Result<Tenant> updateTenant(const Tenant& tenant) override;
  Result<void> deleteTenant(Id id) override;

  Result<Domain> insertDomain(const Domain& domain) override;
  Result<Domain> domain(Id id) override;
  Result<std::vector<Domain>> domainsOfTenant(Id tenant_id) override;
  Result<Domain> updateDomain(const Domain& domain) override;
  Result<void> deleteDomain(Id id) override;

  Result<UpstreamPool> insertPool(const UpstreamPool& pool) override;
  Result<UpstreamPool> pool(Id id) override;
  Result<std::vector<UpstreamPool>> poolsOfTenant(Id tenant_id) override;
  Result<UpstreamPool> updatePool(const UpstreamPool& pool) override;
  Result<void> deletePool(Id id) override;

  Result<EdgePolicy> policyOfTenant(Id tenant_id) override;
  Result<EdgePolicy> putPolicy(const EdgePolicy& policy) override;

  Result<TenantConfig> tenantConfig(Id tenant_id) override;

  Result<EdgeCluster> insertCluster(const EdgeCluster& cluster) override;
  Result<EdgeCluster> cluster(Id id) override;
  Result<EdgeCluster> clusterByName(std::string_view name) override;
  Result<std::vector<EdgeCluster>> listClusters() override;
  Result<void> deleteCluster(Id id) override;
  Result<void> assign(Id tenant_id, Id cluster_id) override;
  Result<void> unassign(Id tenant_id, Id cluster_id) override;
  Result<std::vector<EdgeCluster>> clustersOfTenant(Id tenant_id) override;

  Result<User> insertUser(const User& user) override;
  Result<User> user(Id id) override;
  Result<User> userByEmail(std::string_view email) override;
  Result<std::size_t> countUsers() override;
  Result<std::vector<User>> listUsers(Id after_id, std::size_t limit) override;
  Result<User> updateUser(const User& user) override;
  Result<void> setPasswordHash(Id user_id, std::string_view password_hash) override;
  Result<void> deleteUser(Id id) override;
  Result<std::size_t> countActivePlatformAdmins() override;
  Result<void> putMembership(const Membership& membership) override;
  Result<std::vector<Membership>> membershipsOfUser(Id user_id) override;
  Result<std::vector<Membership>> membershipsOfTenant(Id tenant_id) override;
  Result<void> deleteMembership(Id user_id, Id tenant_id) override;

  Result<ApiToken> insertApiToken(const ApiToken& token) override;
  Result<ApiToken> apiTokenByPrefix(std::string_view prefix) override;
  Result<std::vector<ApiToken>> apiTokensOfUser(Id user_id) override;
  Result<void> revokeApiToken(Id id) override;
  Result<void> renameApiToken(Id id, std::string_view name) override;
  Result<void> touchApiToken(Id id, std::string_view address) override;

  Result<Id> nextDeploymentId() override;
  Result<Deployment> insertDeployment(const Deployment& deployment) override;
  Result<Deployment> deployment(Id id) override;
  Result<void> setDeploymentStatus(Id id, DeploymentStatus status,
                                   std::string_view detail) override;
  Result<std::vector<Deployment>> deploymentsOfTenant(Id tenant_id, Id before_id,
                                                      std::size_t limit) override;
  Result<std::optional<Deployment>> lastDeployment() override;
  Result<Id> reserveDeployment(const DeploymentReservation& reservation) override;
  Result<std::vector<DeploymentReservation>> deploymentReservations() override;
  Result<void> deleteDeploymentReservation(Id id) override;
  Result<void> releaseIdempotencyClaims(std::string_view target) override;
  Result<std::optional<Id>> domainClaimant(std::string_view name, Id tenant_id) override;

  Result<Release> insertRelease(const Release& release) override;
  Result<std::optional<Release>> latestRelease(Id cluster_id) override;
  Result<std::vector<Release>> releasesOfDeployment(Id deployment_id) override;
  Result<std::vector<Release>> latestReleasesExpiringBefore(std::int64_t time) override;
  Result<void> updateReleaseSignature(const Release& release) override;

  Result<std::vector<Release>> latestBuiltReleases() override;

  Result<std::optional<IdempotentResponse>> idempotentResponse(Id token_id,
                                                               std::string_view key) override;
  Result<void> claimIdempotencyKey(Id token_id, std::string_view key, std::string_view request_hash,
                                   std::string_view target) override;
  Result<void> saveIdempotentResponse(Id token_id, std::string_view key,
                                      const IdempotentResponse& response,
                                      std::int64_t keep_seconds) override;

  Result<void> insertEnrollmentToken(Id cluster_id, std::string_view token_hash,
                                     std::int64_t expires_at) override;
  Result<EdgeNode> enrollNode(std::string_view token_hash, std::string_view name,
                              std::string_view public_key,
                              std::string_view credential_hash) override;
  Result<EdgeNode> nodeByCredentialHash(std::string_view credential_hash) override;
  Result<std::vector<EdgeNode>> listNodes(std::optional<Id> cluster_id) override;
  Result<EdgeNode> node(Id id) override;
  Result<EdgeNode> updateNode(const EdgeNode& node) override;
  Result<void> deleteNode(Id id) override;
  Result<void> recordHeartbeat(Id node_id, const NodeHeartbeat& heartbeat) override;
  Result<void> insertReceipt(const NodeReceipt& receipt) override;
  Result<bool> receiptStored(Id node_id, std::uint64_t version,
                             std::string_view envelope_json) override;
  Result<std::vector<NodeReceipt>> receiptsForVersion(Id cluster_id,
                                                      std::uint64_t version) override;
  Result<std::vector<NodeReceipt>> receiptsOfNode(Id node_id, std::size_t limit) override;

  Result<SessionRecord> insertSession(const SessionRecord& session) override;
  Result<SessionRecord> sessionByHash(std::string_view id_hash) override;
  Result<std::vector<SessionRecord>> sessionsOfUser(Id user_id) override;
  Result<void> touchSession(Id id, std::int64_t last_seen_at) override;
  Result<void> deleteSession(Id id) override;
  Result<void> deleteSessionsOfUser(Id user_id) override;
  Result<PasswordReset> insertPasswordReset(const PasswordReset& reset) override;
  Result<PasswordReset> passwordResetByHash(std::string_view token_hash) override;
  Result<void> markPasswordResetUsed(Id id) override;

  Result<AuditEntry> appendAudit(const AuditEntry& entry) override;
  using Transaction::auditEntries;
  Result<std::vector<AuditEntry>> auditEntries(const AuditFilter& filter, Id before_id,
                                               std::size_t limit) override;

 private:
  // kFailedPrecondition naming `operation` on a read-only transaction.
  Result<void> requireWritable(std::string_view operation) const;
  // kNotFound "<kind> <id> not found" unless `sql` (one "?" for the id) returns a row.
  Result<std::vector<Membership>> memberships(std::string_view where, Id id);
  Result<void> requireRow(std::string_view sql, std::string_view kind, Id id);
  // Runs `sql` (a DELETE of one row by id); kNotFound naming `kind` when nothing was deleted.
  Result<void> deleteRow(std::string_view sql, std::string_view kind, Id id);
  std::string nowText() const;

  sqlite::Connection& db_;
  std::int64_t now_;
  Access access_;
  const std::optional<AuditChainKey>& audit_key_;
};

// SQL LIMIT value of a std::size_t (SQLite takes a signed 64-bit integer).
std::int64_t sqlLimit(std::size_t limit);
// The exclusive upper id bound of a newest-first page: `before_id`, or past every id for 0.
std::int64_t sqlBefore(Id before_id);

}  // namespace vantus::controller
