-- One-time password links (`vantus-controller user reset-link`, the UI's users page): the link
-- carries a 256-bit random token, of which only the SHA-256 (hex) is kept. A link is spent by
-- its first use and ends at expires_at (unix seconds, 30 minutes after it was made).
CREATE TABLE password_resets (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_hash  TEXT NOT NULL UNIQUE,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,
  used        INTEGER NOT NULL DEFAULT 0 CHECK (used IN (0, 1))
);
