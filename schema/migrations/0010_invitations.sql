-- Invitations are one-time links too: a link of purpose 'invitation' sets the first password
-- of a user a tenant's owner or admin invited, and names the tenant the user lands on. Such a
-- link may live longer than a password link (invitation_valid_days in controller.yaml).
ALTER TABLE password_resets ADD COLUMN purpose TEXT NOT NULL DEFAULT 'reset'
  CHECK (purpose IN ('reset', 'invitation'));
ALTER TABLE password_resets ADD COLUMN tenant_id INTEGER REFERENCES tenants (id) ON DELETE SET NULL;
