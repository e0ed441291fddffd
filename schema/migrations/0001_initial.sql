-- Vantus controller schema, version 1 (DESIGN §4).
--
-- Conventions:
-- - Model timestamps (created_at, updated_at, ...) are RFC 3339 UTC text
--   ("2026-11-22T18:00:00Z"); releases keep unix seconds as integers.
-- - Booleans are INTEGER 0/1; enums are the lower-case names of controller/model/types.h.
-- - Public ids use AUTOINCREMENT so an id is never handed out twice: a client holding the id
--   of a deleted row gets a 404, never somebody else's row.
-- - A child that cannot outlive its parent is deleted with it (ON DELETE CASCADE); a
--   reference that must be removed deliberately first has no action (RESTRICT behaviour).
-- - The migrations runner applies this file in one transaction and records it in
--   schema_migrations.

CREATE TABLE schema_migrations (
  version    INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  applied_at TEXT NOT NULL
);

CREATE TABLE tenants (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  slug       TEXT NOT NULL UNIQUE,
  name       TEXT NOT NULL,
  status     TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'archived')),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- A domain name is unique across all tenants: one server_name, one owner.
CREATE TABLE domains (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id       INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name            TEXT NOT NULL UNIQUE,
  is_primary      INTEGER NOT NULL DEFAULT 0 CHECK (is_primary IN (0, 1)),
  tls_enabled     INTEGER NOT NULL DEFAULT 0 CHECK (tls_enabled IN (0, 1)),
  force_https     INTEGER NOT NULL DEFAULT 0 CHECK (force_https IN (0, 1)),
  hsts            INTEGER NOT NULL DEFAULT 0 CHECK (hsts IN (0, 1)),
  min_tls_version TEXT NOT NULL DEFAULT 'TLSv1.2'
                  CHECK (min_tls_version IN ('TLSv1.2', 'TLSv1.3')),
  created_at      TEXT NOT NULL
);
CREATE INDEX domains_by_tenant ON domains (tenant_id, name);

-- UNIQUE (tenant_id, name) doubles as the index of a tenant's pools.
CREATE TABLE upstream_pools (
  id                      INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id               INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name                    TEXT NOT NULL,
  protocol                TEXT NOT NULL CHECK (protocol IN ('http', 'https')),
  health_check_path       TEXT NOT NULL,
  health_check_interval_s INTEGER NOT NULL CHECK (health_check_interval_s > 0),
  created_at              TEXT NOT NULL,
  updated_at              TEXT NOT NULL,
  UNIQUE (tenant_id, name)
);

-- Targets keep the order they were given in (position 0, 1, ...).
CREATE TABLE upstream_targets (
  pool_id  INTEGER NOT NULL REFERENCES upstream_pools (id) ON DELETE CASCADE,
  position INTEGER NOT NULL CHECK (position >= 0),
  host     TEXT NOT NULL,
  port     INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
  weight   INTEGER NOT NULL CHECK (weight > 0),
  backup   INTEGER NOT NULL DEFAULT 0 CHECK (backup IN (0, 1)),
  PRIMARY KEY (pool_id, position)
) WITHOUT ROWID;

-- One row per tenant; a tenant without a row has the defaults of controller/model/types.h.
-- Lists are JSON text in the order given: headers_json = [{"name": ..., "value": ...}],
-- ip_allowlist_json and cors_origins_json = [string]. No rate limit = both columns NULL.
CREATE TABLE edge_policies (
  tenant_id         INTEGER PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
  headers_json      TEXT NOT NULL DEFAULT '[]',
  rate_limit_rps    INTEGER,
  rate_limit_burst  INTEGER,
  ip_allowlist_json TEXT NOT NULL DEFAULT '[]',
  cors_origins_json TEXT NOT NULL DEFAULT '[]',
  cache_ttl_s       INTEGER NOT NULL DEFAULT 0 CHECK (cache_ttl_s >= 0),
  compression       INTEGER NOT NULL DEFAULT 1 CHECK (compression IN (0, 1)),
  max_body_bytes    INTEGER NOT NULL CHECK (max_body_bytes >= 0),
  security_headers  INTEGER NOT NULL DEFAULT 1 CHECK (security_headers IN (0, 1)),
  updated_at        TEXT NOT NULL,
  CHECK ((rate_limit_rps IS NULL) = (rate_limit_burst IS NULL))
);

-- Emails are stored lower-cased; NOCASE keeps uniqueness and lookups case-insensitive even
-- if a caller forgets.
CREATE TABLE users (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  email             TEXT NOT NULL UNIQUE COLLATE NOCASE,
  password_hash     TEXT NOT NULL DEFAULT '',
  is_platform_admin INTEGER NOT NULL DEFAULT 0 CHECK (is_platform_admin IN (0, 1)),
  disabled          INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at        TEXT NOT NULL
);

CREATE TABLE memberships (
  user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  tenant_id  INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  role       TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'operator', 'viewer')),
  created_at TEXT NOT NULL,
  PRIMARY KEY (user_id, tenant_id)
) WITHOUT ROWID;
CREATE INDEX memberships_by_tenant ON memberships (tenant_id);

CREATE TABLE edge_clusters (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  name       TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL
);

-- Nodes must be decommissioned before their cluster is deleted (no ON DELETE action).
-- public_key and credential_hash are empty until the node enrols; applied_version 0 = none.
CREATE TABLE edge_nodes (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  cluster_id      INTEGER NOT NULL REFERENCES edge_clusters (id),
  name            TEXT NOT NULL,
  public_key      TEXT NOT NULL DEFAULT '',
  credential_hash TEXT NOT NULL DEFAULT '',
  enrolled_at     TEXT,
  last_seen_at    TEXT,
  applied_version INTEGER NOT NULL DEFAULT 0 CHECK (applied_version >= 0),
  status          TEXT NOT NULL DEFAULT 'pending',
  created_at      TEXT NOT NULL,
  UNIQUE (cluster_id, name)
);

-- A tenant leaves with its assignments; a cluster cannot be deleted while tenants are
-- assigned to it (their config would silently stay on the edges).
CREATE TABLE tenant_edge_assignments (
  tenant_id  INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  cluster_id INTEGER NOT NULL REFERENCES edge_clusters (id),
  created_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, cluster_id)
) WITHOUT ROWID;
CREATE INDEX tenant_edge_assignments_by_cluster ON tenant_edge_assignments (cluster_id);

-- Deployment ids are chosen by the caller (max ever used + 1, read from sqlite_sequence
-- which AUTOINCREMENT keeps even for explicit ids) because they go into the git commit
-- before the row is written.
--
-- Deleting a tenant deletes its deployments (ON DELETE CASCADE): a deployment row is the
-- tenant's model as deployed, which must not outlive a deleted tenant. What stays is what
-- cannot be unwritten anyway: the git commits (whose "Vantus-Deployment: N" trailers stay
-- unambiguous because ids are never reused), the clusters' releases (deployment_id set
-- NULL) and the audit log.
CREATE TABLE deployments (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id     INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  kind          TEXT NOT NULL CHECK (kind IN ('deploy', 'rollback')),
  rollback_of   INTEGER REFERENCES deployments (id) ON DELETE SET NULL,
  status        TEXT NOT NULL CHECK (status IN ('committed', 'released', 'failed')),
  status_detail TEXT NOT NULL DEFAULT '',
  actor_name    TEXT NOT NULL,
  message       TEXT NOT NULL,
  commit_id     TEXT NOT NULL,
  snapshot_json TEXT NOT NULL,
  created_at    TEXT NOT NULL
);
CREATE INDEX deployments_by_tenant ON deployments (tenant_id, id);

-- A release is what one cluster should run; versions are monotonic per cluster and must
-- survive the deployment that caused them (deployment_id set NULL), or a later release
-- could reuse a version an agent already runs. digest is empty until the bundle is built.
-- created_at, expires_at and signed_at are unix seconds.
CREATE TABLE releases (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  cluster_id    INTEGER NOT NULL REFERENCES edge_clusters (id) ON DELETE CASCADE,
  version       INTEGER NOT NULL CHECK (version > 0),
  deployment_id INTEGER REFERENCES deployments (id) ON DELETE SET NULL,
  commit_id     TEXT NOT NULL,
  digest        TEXT NOT NULL DEFAULT '',
  envelope_json TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  expires_at    INTEGER NOT NULL,
  signed_at     INTEGER NOT NULL,
  UNIQUE (cluster_id, version)
);
CREATE INDEX releases_by_deployment ON releases (deployment_id);

-- Hash-chained, append-only. tenant_id is deliberately not a foreign key: a deleted
-- tenant's audit rows stay. hash = sha256 hex of the canonical JSON of every other column
-- (controller/store/audit_chain.h); prev_hash is the previous row's hash ('' for the
-- first). before_json/after_json NULL = JSON null.
CREATE TABLE audit_log (
  id             INTEGER PRIMARY KEY,
  time           TEXT NOT NULL,
  actor_kind     TEXT NOT NULL,
  actor_id       TEXT NOT NULL,
  actor_name     TEXT NOT NULL,
  actor_email    TEXT NOT NULL,
  source_address TEXT NOT NULL,
  user_agent     TEXT NOT NULL,
  tenant_id      INTEGER,
  action         TEXT NOT NULL,
  target         TEXT NOT NULL,
  before_json    TEXT,
  after_json     TEXT,
  prev_hash      TEXT NOT NULL,
  hash           TEXT NOT NULL
);
CREATE INDEX audit_log_by_tenant ON audit_log (tenant_id, id);

-- Guard rails against accidental edits; tampering that drops them is what the hash chain
-- catches (`vantus-controller audit verify`).
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
