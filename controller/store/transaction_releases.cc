#include "controller/store/sqlite_transaction.h"
#include "controller/store/store_support.h"

namespace vantus::controller {

using store_support::conflict;

namespace {

constexpr std::string_view kReleaseColumns =
    "id, cluster_id, version, deployment_id, commit_id, digest, envelope_json, created_at, "
    "expires_at, signed_at, (SELECT c.name FROM edge_clusters c WHERE c.id = cluster_id)";

Release releaseFromRow(const sqlite::Statement& row) {
  Release release;
  release.id = row.integer(0);
  release.cluster_id = row.integer(1);
  release.version = static_cast<std::uint64_t>(row.integer(2));
  release.deployment_id = row.optionalInteger(3);
  release.commit_id = row.text(4);
  release.digest = row.text(5);
  release.envelope_json = row.text(6);
  release.created_at = row.integer(7);
  release.expires_at = row.integer(8);
  release.signed_at = row.integer(9);
  release.cluster = row.text(10);
  return release;
}

Result<std::vector<Release>> releaseRows(sqlite::Statement& query) {
  std::vector<Release> releases;
  while (true) {
    VANTUS_TRY(bool row, query.step());
    if (!row) {
      return releases;
    }
    releases.push_back(releaseFromRow(query));
  }
}

}  // namespace

Result<Release> SqliteTransaction::insertRelease(const Release& release) {
  VANTUS_TRY_VOID(requireWritable("insertRelease"));
  VANTUS_TRY_VOID(
      requireRow("SELECT 1 FROM edge_clusters WHERE id = ?", "edge cluster", release.cluster_id));
  if (release.deployment_id) {
    VANTUS_TRY_VOID(
        requireRow("SELECT 1 FROM deployments WHERE id = ?", "deployment", *release.deployment_id));
  }
  // Agents refuse a version below the one they run: a lower one would never be applied.
  VANTUS_TRY(std::optional<Release> latest, latestRelease(release.cluster_id));
  if (latest && release.version < latest->version) {
    return fail(ErrorCode::kFailedPrecondition,
                fmt::format("edge cluster {} is at release version {}; version {} would go "
                            "backwards",
                            release.cluster_id, latest->version, release.version),
                "version");
  }
  Release stored = release;
  if (stored.created_at == 0) {
    stored.created_at = now();
  }
  VANTUS_TRY(sqlite::Statement insert,
             db_.prepare("INSERT INTO releases (cluster_id, version, deployment_id, commit_id, "
                         "digest, envelope_json, created_at, expires_at, signed_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  insert.bindInt(stored.cluster_id)
      .bindInt(static_cast<std::int64_t>(stored.version))
      .bindOptionalInt(stored.deployment_id)
      .bindText(stored.commit_id)
      .bindText(stored.digest)
      .bindText(stored.envelope_json)
      .bindInt(stored.created_at)
      .bindInt(stored.expires_at)
      .bindInt(stored.signed_at);
  if (Result<void> done = insert.run(); !done) {
    return conflict(std::move(done).error(),
                    fmt::format("edge cluster {} already has release version {}", stored.cluster_id,
                                stored.version),
                    "version");
  }
  stored.id = db_.lastInsertRowid();
  VANTUS_TRY(sqlite::Statement name, db_.prepare("SELECT name FROM edge_clusters WHERE id = ?"));
  name.bindInt(stored.cluster_id);
  VANTUS_TRY(bool found, name.step());
  if (found) {
    stored.cluster = name.text(0);
  }
  return stored;
}

Result<std::optional<Release>> SqliteTransaction::latestRelease(Id cluster_id) {
  VANTUS_TRY(sqlite::Statement query,
             db_.prepare(fmt::format("SELECT {} FROM releases WHERE cluster_id = ? "
                                     "ORDER BY version DESC LIMIT 1",
                                     kReleaseColumns)));
  query.bindInt(cluster_id);
  VANTUS_TRY(bool found, query.step());
  if (!found) {
    return std::optional<Release>();
  }
  return std::optional<Release>(releaseFromRow(query));
}

Result<std::vector<Release>> SqliteTransaction::releasesOfDeployment(Id deployment_id) {
  VANTUS_TRY(sqlite::Statement query,
             db_.prepare(fmt::format("SELECT {} FROM releases WHERE deployment_id = ? ORDER BY id",
                                     kReleaseColumns)));
  query.bindInt(deployment_id);
  return releaseRows(query);
}

Result<std::vector<Release>> SqliteTransaction::latestReleasesExpiringBefore(std::int64_t time) {
  VANTUS_TRY(sqlite::Statement query,
             db_.prepare(fmt::format(
                 "SELECT {} FROM releases r WHERE r.version = (SELECT max(version) FROM "
                 "releases WHERE cluster_id = r.cluster_id) AND r.expires_at < ? "
                 "ORDER BY r.cluster_id",
                 kReleaseColumns)));
  query.bindInt(time);
  return releaseRows(query);
}

Result<void> SqliteTransaction::updateReleaseSignature(const Release& release) {
  VANTUS_TRY_VOID(requireWritable("updateReleaseSignature"));
  VANTUS_TRY(sqlite::Statement update,
             db_.prepare("UPDATE releases SET envelope_json = ?, digest = ?, expires_at = ?, "
                         "signed_at = ? WHERE cluster_id = ? AND version = ?"));
  update.bindText(release.envelope_json)
      .bindText(release.digest)
      .bindInt(release.expires_at)
      .bindInt(release.signed_at)
      .bindInt(release.cluster_id)
      .bindInt(static_cast<std::int64_t>(release.version));
  VANTUS_TRY_VOID(update.run());
  if (db_.changes() == 0) {
    return fail(ErrorCode::kNotFound, fmt::format("release version {} of edge cluster {} not found",
                                                  release.version, release.cluster_id));
  }
  return ok();
}

}  // namespace vantus::controller
