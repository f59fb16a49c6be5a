ALTER TABLE tasks ADD COLUMN archived_at TIMESTAMPTZ;
ALTER TABLE tasks ALTER COLUMN due_at SET DEFAULT NULL;
CREATE INDEX idx_tasks_active ON tasks (workspace_id, status) WHERE archived_at IS NULL;
