-- Each entity is a JSON document plus the columns that queries and conditional writes need.
CREATE TABLE IF NOT EXISTS message_systems (
    id VARCHAR(64) PRIMARY KEY,
    version BIGINT NOT NULL,
    doc CLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS messages (
    id VARCHAR(64) PRIMARY KEY,
    owner_id VARCHAR(256) NOT NULL,
    system_id VARCHAR(64) NOT NULL,
    status VARCHAR(16) NOT NULL,
    created_at TIMESTAMP(9) WITH TIME ZONE NOT NULL,
    version BIGINT NOT NULL,
    doc CLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_by_owner ON messages (owner_id, created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS messages_by_created ON messages (created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS messages_by_system ON messages (system_id, status);
CREATE TABLE IF NOT EXISTS chunks (
    message_id VARCHAR(64) NOT NULL,
    idx INT NOT NULL,
    version BIGINT NOT NULL,
    doc CLOB NOT NULL,
    PRIMARY KEY (message_id, idx)
);
CREATE TABLE IF NOT EXISTS tasks (
    id VARCHAR(64) PRIMARY KEY,
    message_id VARCHAR(64) NOT NULL,
    state VARCHAR(16) NOT NULL,
    fire_at TIMESTAMP(9) WITH TIME ZONE NOT NULL,
    created_at TIMESTAMP(9) WITH TIME ZONE NOT NULL,
    version BIGINT NOT NULL,
    doc CLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS tasks_by_message ON tasks (message_id);
CREATE INDEX IF NOT EXISTS tasks_by_state ON tasks (state, fire_at);
CREATE TABLE IF NOT EXISTS runs (
    id VARCHAR(64) PRIMARY KEY,
    message_id VARCHAR(64) NOT NULL,
    started_at TIMESTAMP(9) WITH TIME ZONE NOT NULL,
    version BIGINT NOT NULL,
    doc CLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_by_message ON runs (message_id, started_at);
CREATE TABLE IF NOT EXISTS idempotency_keys (
    caller_id VARCHAR(256) NOT NULL,
    idem_key VARCHAR(256) NOT NULL,
    expires_at TIMESTAMP(9) WITH TIME ZONE NOT NULL,
    doc CLOB NOT NULL,
    PRIMARY KEY (caller_id, idem_key)
);
CREATE TABLE IF NOT EXISTS access_tokens (
    id VARCHAR(64) PRIMARY KEY,
    token_hash VARCHAR(64) NOT NULL UNIQUE,
    doc CLOB NOT NULL
);
