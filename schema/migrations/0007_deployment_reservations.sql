-- A deployment's id is reserved before its git commit, with everything its record needs
-- (the caller's Idempotency-Key is claimed in the same transaction); the row goes in the
-- transaction that records the deployment, or marks it failed. A row still here after the
-- process that made it died is finished by reconcile(): recorded when the repository has a
-- commit with its "Vantus-Deployment: <id>" trailer, recorded as failed otherwise. Ids are
-- never handed out twice: the next id is past every deployment and every reservation.
-- A tenant with a deployment in flight cannot be deleted (no ON DELETE action).
CREATE TABLE deployment_reservations (
  id            INTEGER PRIMARY KEY,
  tenant_id     INTEGER NOT NULL REFERENCES tenants (id),
  kind          TEXT NOT NULL CHECK (kind IN ('deploy', 'rollback')),
  rollback_of   INTEGER,
  base_commit   TEXT NOT NULL,
  actor_json    TEXT NOT NULL,
  message       TEXT NOT NULL,
  snapshot_json TEXT NOT NULL,
  created_at    TEXT NOT NULL
);
