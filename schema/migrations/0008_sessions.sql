-- Web UI sessions. The browser holds a 256-bit random id; only its SHA-256 (hex) is kept, so
-- a copy of the database signs nobody in. Times are unix seconds: a session ends when idle
-- longer than session_idle_minutes or older than session_absolute_hours (controller.yaml),
-- and with its user.
CREATE TABLE sessions (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  id_hash      TEXT NOT NULL UNIQUE,
  created_at   INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  address      TEXT NOT NULL DEFAULT '',
  user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_by_user ON sessions (user_id, id);
