-- API tokens: "vt_<prefix>_<secret>". Only the SHA-256 of the secret is kept; the prefix
-- finds the row. Scopes are a comma-separated list of scope names. A token bound to a tenant
-- (tenant_id) acts on that tenant only; it goes with the tenant and with its owner.
CREATE TABLE api_tokens (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id           INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name              TEXT NOT NULL,
  prefix            TEXT NOT NULL UNIQUE,
  secret_hash       TEXT NOT NULL,
  scopes            TEXT NOT NULL,
  tenant_id         INTEGER REFERENCES tenants (id) ON DELETE CASCADE,
  expires_at        INTEGER,
  revoked           INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1)),
  created_at        TEXT NOT NULL,
  last_used_at      TEXT NOT NULL DEFAULT '',
  last_used_address TEXT NOT NULL DEFAULT ''
);
CREATE INDEX api_tokens_by_user ON api_tokens (user_id, id);
