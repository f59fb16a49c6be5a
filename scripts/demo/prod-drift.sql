-- Prod is behind: 004_archive_tasks.sql was never deployed (loaded: 001-003 only).
-- An older release of the ORM created audit_events without its index.
CREATE TABLE IF NOT EXISTS audit_events (
    id BIGSERIAL PRIMARY KEY,
    workspace_id UUID NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    actor_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    action VARCHAR(64) NOT NULL,
    payload JSONB NOT NULL DEFAULT '{}'::jsonb,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- Hot-fixes during an incident.
ALTER TABLE invitations ALTER COLUMN email DROP NOT NULL;
CREATE INDEX tmp_tasks_title ON tasks (title);
