-- The first answer to a POST made with an Idempotency-Key, per token, kept for 24 hours: a
-- retry with the same key and request gets it again, another request with the key is 422.
CREATE TABLE idempotency_keys (
  token_id     INTEGER NOT NULL REFERENCES api_tokens (id) ON DELETE CASCADE,
  key          TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status       INTEGER NOT NULL,
  content_type TEXT NOT NULL,
  location     TEXT NOT NULL,
  body         TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  PRIMARY KEY (token_id, key)
) WITHOUT ROWID;
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
