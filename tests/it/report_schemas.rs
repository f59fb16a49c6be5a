//! The SQL schemas the report tests load: the scenarios' YAML models written out as the SQL
//! they stand for (the YAML reader is not these tests' subject), and a schema drifted in every
//! way the report knows.

/// models.yaml of hand-made-tables, as the SQL its YAML stands for (the YAML reader is not
/// this module's subject).
pub const HAND_MADE_MODELS: &str = "
CREATE TABLE user_invitations (
    id SERIAL PRIMARY KEY,
    email VARCHAR(255) NOT NULL,
    user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    invitation_token VARCHAR(255) NOT NULL UNIQUE,
    user_type VARCHAR(50) NOT NULL DEFAULT 'brand',
    status VARCHAR(20) NOT NULL DEFAULT 'pending',
    invited_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    invitation_message TEXT,
    expires_at TIMESTAMP NOT NULL,
    accepted_at TIMESTAMP,
    cancelled_at TIMESTAMP,
    invitation_metadata JSONB DEFAULT '{}'::jsonb,
    created_at TIMESTAMP NOT NULL DEFAULT now(),
    updated_at TIMESTAMP NOT NULL DEFAULT now()
);
CREATE INDEX ix_user_invitations_email ON user_invitations (email);
CREATE INDEX ix_user_invitations_status ON user_invitations (status);
CREATE INDEX ix_user_invitations_expires_at ON user_invitations (expires_at);
CREATE INDEX ix_user_invitations_user_id ON user_invitations (user_id);
CREATE TABLE pending_signup_queue (
    id SERIAL PRIMARY KEY,
    email VARCHAR(255) NOT NULL,
    first_name VARCHAR(100),
    last_name VARCHAR(100),
    company VARCHAR(255),
    user_type VARCHAR(50) NOT NULL DEFAULT 'brand',
    status VARCHAR(20) NOT NULL DEFAULT 'pending',
    reviewed_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    reviewed_at TIMESTAMP,
    review_notes TEXT,
    signup_metadata JSONB DEFAULT '{}'::jsonb,
    created_at TIMESTAMP NOT NULL DEFAULT now(),
    updated_at TIMESTAMP NOT NULL DEFAULT now()
);
CREATE INDEX ix_pending_signup_queue_email ON pending_signup_queue (email);
CREATE INDEX ix_pending_signup_queue_status ON pending_signup_queue (status);
CREATE INDEX ix_pending_signup_queue_created_at ON pending_signup_queue (created_at);
";

/// models.yaml of dev-vs-main, as the SQL its YAML stands for.
pub const DEV_VS_MAIN_MODELS: &str = "
CREATE TABLE user_notifications (
    id SERIAL PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    title VARCHAR(255) NOT NULL,
    message TEXT NOT NULL,
    category VARCHAR(50) DEFAULT 'general',
    priority VARCHAR(20) DEFAULT 'normal',
    status VARCHAR(20) DEFAULT 'unread',
    action_url VARCHAR(500),
    metadata JSON,
    read_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ DEFAULT now()
);
CREATE INDEX idx_user_notifications_user_id ON user_notifications (user_id);
CREATE INDEX idx_user_notifications_status ON user_notifications (status);
CREATE INDEX idx_user_notifications_created_at ON user_notifications (created_at DESC);
CREATE TABLE slack_workspace_mappings (
    id SERIAL PRIMARY KEY,
    workspace_id VARCHAR(50) NOT NULL UNIQUE,
    workspace_name VARCHAR(255),
    organization_id INTEGER REFERENCES organizations(id),
    owner_user_id INTEGER REFERENCES users(id),
    status VARCHAR(20) DEFAULT 'active',
    registered_at TIMESTAMPTZ DEFAULT now()
);
CREATE INDEX idx_slack_workspace_mappings_workspace_id ON slack_workspace_mappings (workspace_id);
CREATE INDEX idx_slack_workspace_mappings_org_id ON slack_workspace_mappings (organization_id);
CREATE TABLE survey_schedules (
    id SERIAL PRIMARY KEY,
    organization_id INTEGER UNIQUE REFERENCES organizations(id),
    enabled BOOLEAN DEFAULT false,
    send_time TIME NOT NULL,
    timezone VARCHAR(100) NOT NULL,
    send_weekdays_only BOOLEAN DEFAULT true,
    reminder_hours_after INTEGER DEFAULT 5,
    next_send_at TIMESTAMPTZ
);
CREATE INDEX idx_survey_schedules_next_send_at ON survey_schedules (next_send_at);
";

/// A schema with an object of every kind the report handles.
pub const EVERY_KIND_EXPECTED: &str = "
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TYPE color AS ENUM ('red', 'green', 'blue');
CREATE TABLE orgs (
    id serial PRIMARY KEY,
    name text NOT NULL,
    slug text NOT NULL,
    CONSTRAINT orgs_slug_key UNIQUE (slug)
);
CREATE TABLE people (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id integer REFERENCES orgs(id) ON DELETE CASCADE,
    email varchar(320) NOT NULL,
    nick text COLLATE \"C\",
    mood mood DEFAULT 'ok',
    score numeric(10,2) DEFAULT 0 NOT NULL,
    doubled numeric GENERATED ALWAYS AS (score * 2) STORED,
    seen_at timestamptz DEFAULT '2020-01-01 00:00:00+00',
    legacy_id integer,
    CONSTRAINT people_score_check CHECK (score >= 0)
);
CREATE UNIQUE INDEX people_email_idx ON people (lower(email));
CREATE INDEX people_org_idx ON people (org_id) WHERE org_id IS NOT NULL;
CREATE TABLE events (id bigint NOT NULL, at date NOT NULL, kind text, PRIMARY KEY (id, at))
    PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE INDEX events_kind_idx ON events (kind);
CREATE INDEX events_2024_at_brin ON events_2024 USING brin (at);
CREATE TABLE tags (
    id serial PRIMARY KEY,
    label text NOT NULL UNIQUE,
    org_id integer NOT NULL REFERENCES orgs(id),
    color color
);
CREATE TABLE visits (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    note text
);
";

/// `EVERY_KIND_EXPECTED` drifted in every way the fix repairs (and some it only explains),
/// with rows, so validation, NOT NULL and type changes meet data.
pub const EVERY_KIND_DRIFTED: &str = "
CREATE TYPE mood AS ENUM ('sad', 'happy');
CREATE TYPE legacy AS ENUM ('x');
CREATE TABLE orgs (
    id serial PRIMARY KEY,
    name text,
    slug text NOT NULL
);
CREATE TABLE people (
    id bigint NOT NULL PRIMARY KEY,
    org_id integer REFERENCES orgs(id),
    email varchar(100) NOT NULL,
    nick text,
    mood mood DEFAULT 'sad',
    score numeric(10,2) DEFAULT 0 NOT NULL,
    doubled numeric,
    legacy_id text,
    extra text,
    CONSTRAINT people_score_positive CHECK (score >= 0)
);
CREATE UNIQUE INDEX people_email_idx ON people (email);
CREATE INDEX people_org_index ON people (org_id) WHERE org_id IS NOT NULL;
CREATE INDEX people_extra_idx ON people (extra);
CREATE TABLE events (id bigint NOT NULL, at date NOT NULL, kind text, PRIMARY KEY (id, at))
    PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE events_old PARTITION OF events FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');
CREATE TABLE scratch (id int);
CREATE TABLE visits (
    id bigint PRIMARY KEY,
    note text NOT NULL DEFAULT '',
    at timestamptz
);
INSERT INTO orgs (name, slug) VALUES ('Acme', 'acme'), ('Globex', 'globex');
INSERT INTO people (id, org_id, email, nick, mood, score, doubled, legacy_id, extra)
VALUES (1, 1, 'Ann@Example.com', 'ann', 'happy', 10, 20, '41', 'x'),
       (2, 2, 'bob@example.com', NULL, 'sad', 0, 0, '42', NULL),
       (3, NULL, 'cy@example.com', 'cy', DEFAULT, 2.5, 5, NULL, 'y');
INSERT INTO events VALUES (1, '2024-03-01', 'a'), (2, '2020-06-01', 'b');
INSERT INTO visits (id, at, note) VALUES (7, now(), 'first'), (9, now(), 'second');
";
