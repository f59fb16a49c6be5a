CREATE TABLE tasks (
    id BIGSERIAL PRIMARY KEY,
    workspace_id UUID NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    status VARCHAR(20) NOT NULL DEFAULT 'open',
    assignee_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    due_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    CONSTRAINT tasks_title_not_blank CHECK (length(btrim(title)) > 0)
);

CREATE INDEX idx_tasks_workspace_created ON tasks (workspace_id, created_at DESC);
CREATE INDEX idx_tasks_assignee_open ON tasks (assignee_id) WHERE status = 'open';
