BEGIN;

CREATE TABLE invitations (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    workspace_id UUID NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    email VARCHAR(255) NOT NULL,
    role member_role NOT NULL DEFAULT 'member',
    token TEXT NOT NULL UNIQUE,
    invited_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    expires_at TIMESTAMPTZ NOT NULL DEFAULT (NOW() + INTERVAL '7 days'),
    accepted_at TIMESTAMPTZ,
    CONSTRAINT invitations_email_format CHECK (position('@' IN email) > 1)
);

CREATE UNIQUE INDEX invitations_pending_email_idx ON invitations (workspace_id, lower(email))
    WHERE accepted_at IS NULL;

COMMIT;
