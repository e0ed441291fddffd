-- A POST's Idempotency-Key is claimed inside the transaction of the write it protects; the
-- answer follows. A claim without an answer (status 0) names what the write made.
ALTER TABLE idempotency_keys ADD COLUMN target TEXT NOT NULL DEFAULT '';
