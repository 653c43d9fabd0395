-- Each entity is a JSON document plus the columns that queries and conditional writes need.
-- Instants are microseconds since the epoch (UTC), so that they sort and compare as integers.
CREATE TABLE IF NOT EXISTS message_systems (
    id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    doc TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS messages (
    id TEXT PRIMARY KEY,
    owner_id TEXT NOT NULL,
    system_id TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    version INTEGER NOT NULL,
    doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_by_owner ON messages (owner_id, created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS messages_by_created ON messages (created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS messages_by_system ON messages (system_id, status);
CREATE TABLE IF NOT EXISTS chunks (
    message_id TEXT NOT NULL,
    idx INTEGER NOT NULL,
    version INTEGER NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (message_id, idx)
);
-- The slices of a message sent by several workers at once.
CREATE TABLE IF NOT EXISTS slices (
    message_id TEXT NOT NULL,
    idx INTEGER NOT NULL,
    version INTEGER NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (message_id, idx)
) WITHOUT ROWID;
-- What the provider reported of each chunk's mails, as of a chunk version: summed for a message's counts.
CREATE TABLE IF NOT EXISTS feedback_tallies (
    message_id TEXT NOT NULL,
    idx INTEGER NOT NULL,
    chunk_version INTEGER NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (message_id, idx)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS tasks (
    id TEXT PRIMARY KEY,
    message_id TEXT NOT NULL,
    state TEXT NOT NULL,
    fire_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    version INTEGER NOT NULL,
    doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS tasks_by_message ON tasks (message_id);
CREATE INDEX IF NOT EXISTS tasks_by_state ON tasks (state, fire_at);
CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY,
    message_id TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    version INTEGER NOT NULL,
    doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_by_message ON runs (message_id, started_at);
CREATE TABLE IF NOT EXISTS idempotency_keys (
    caller_id TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (caller_id, idem_key)
);
CREATE TABLE IF NOT EXISTS access_tokens (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    doc TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS suppressions (
    system_id TEXT NOT NULL,
    address TEXT NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (system_id, address)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS lists (
    id TEXT PRIMARY KEY,
    owner_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    member_count INTEGER NOT NULL,
    version INTEGER NOT NULL,
    doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS lists_by_owner ON lists (owner_id, created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS lists_by_created ON lists (created_at DESC, id DESC);
CREATE TABLE IF NOT EXISTS recurring_schedules (
    id TEXT PRIMARY KEY,
    owner_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    version INTEGER NOT NULL,
    doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS recurring_schedules_by_owner ON recurring_schedules (owner_id, created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS recurring_schedules_by_created ON recurring_schedules (created_at DESC, id DESC);
-- A message system's mails counted against its daily cap, by day (ISO date in the cap's zone).
CREATE TABLE IF NOT EXISTS daily_counts (
    system_id TEXT NOT NULL,
    day TEXT NOT NULL,
    mails INTEGER NOT NULL,
    PRIMARY KEY (system_id, day)
);
-- An occurrence's key is its instant in microseconds: a repeated firing of it inserts nothing.
CREATE TABLE IF NOT EXISTS schedule_occurrences (
    schedule_id TEXT NOT NULL,
    at INTEGER NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (schedule_id, at)
);
-- Members by the key of their address: a page is a range scan, a member put again replaces its row.
CREATE TABLE IF NOT EXISTS list_members (
    list_id TEXT NOT NULL,
    member_key TEXT NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (list_id, member_key)
) WITHOUT ROWID;
