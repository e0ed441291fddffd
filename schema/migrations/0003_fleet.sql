-- Edge fleet: one-time enrolment tokens, what each node reports, signed receipts.

-- Only the sha256 of a token is kept. A token is spent by the first enrolment that uses it.
CREATE TABLE enrollment_tokens (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  cluster_id   INTEGER NOT NULL REFERENCES edge_clusters (id) ON DELETE CASCADE,
  token_hash   TEXT NOT NULL UNIQUE,
  expires_at   INTEGER NOT NULL,
  used_at      INTEGER,
  used_by_node INTEGER REFERENCES edge_nodes (id) ON DELETE SET NULL,
  created_at   INTEGER NOT NULL
);

-- Written by heartbeats and receipts, never by a poll.
ALTER TABLE edge_nodes ADD COLUMN last_seen_unix INTEGER NOT NULL DEFAULT 0;
ALTER TABLE edge_nodes ADD COLUMN applied_digest TEXT NOT NULL DEFAULT '';
ALTER TABLE edge_nodes ADD COLUMN nginx_version TEXT NOT NULL DEFAULT '';
ALTER TABLE edge_nodes ADD COLUMN drift INTEGER NOT NULL DEFAULT 0 CHECK (drift IN (0, 1));
ALTER TABLE edge_nodes ADD COLUMN expired INTEGER NOT NULL DEFAULT 0 CHECK (expired IN (0, 1));
ALTER TABLE edge_nodes ADD COLUMN last_result TEXT NOT NULL DEFAULT '';
ALTER TABLE edge_nodes ADD COLUMN last_reason TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX edge_nodes_by_credential ON edge_nodes (credential_hash)
  WHERE credential_hash != '';

-- Each receipt as the node signed it (envelope_json verifies against edge_nodes.public_key).
CREATE TABLE node_receipts (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  node_id         INTEGER NOT NULL REFERENCES edge_nodes (id) ON DELETE CASCADE,
  version         INTEGER NOT NULL,
  digest          TEXT NOT NULL,
  result          TEXT NOT NULL,
  reason          TEXT NOT NULL,
  nginx_output    TEXT NOT NULL,
  serving_version INTEGER NOT NULL,
  envelope_json   TEXT NOT NULL,
  received_at     INTEGER NOT NULL
);
CREATE INDEX node_receipts_by_node_version ON node_receipts (node_id, version);
