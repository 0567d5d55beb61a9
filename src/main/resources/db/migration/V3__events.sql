-- Portable between PostgreSQL and H2 (which runs in PostgreSQL mode).

-- Every EventBridge event the bot accepted, by its id: EventBridge delivers at least once, so a second
-- delivery of an id is dropped here. An event accepted over HTTP (answered 2xx before it was processed)
-- keeps its body until handled, so it survives a crash; one from SQS has none (the queue redelivers it).
-- Handled rows are pruned after the retention period.
CREATE TABLE aws_events (
    event_id    VARCHAR(128) PRIMARY KEY,
    detail_type VARCHAR(128) NOT NULL,
    body        TEXT,
    received_at TIMESTAMP WITH TIME ZONE NOT NULL,
    handled_at  TIMESTAMP WITH TIME ZONE,
    outcome     VARCHAR(64)
);

CREATE INDEX aws_events_handled ON aws_events (handled_at, received_at);

-- One row per build, deployment or image the bot tells people about: its latest known state and the Slack
-- message that shows it. A durable outbox: version counts accepted changes, notified_version is the one
-- Slack shows; a row whose version is ahead is posted or updated (once, coalesced) when Slack can be reached.
CREATE TABLE activity (
    subject_key      VARCHAR(500) PRIMARY KEY,
    kind             VARCHAR(16)  NOT NULL,
    progress         VARCHAR(16)  NOT NULL,
    change_json      TEXT         NOT NULL,
    version          BIGINT       NOT NULL,
    notified_version BIGINT       NOT NULL,
    channel          VARCHAR(32)  NOT NULL,
    thread_ts        VARCHAR(32),
    announce         BOOLEAN      NOT NULL,
    reply_when_done  BOOLEAN      NOT NULL,
    message_ts       VARCHAR(32),
    reply_ts         VARCHAR(32),
    requester        VARCHAR(32),
    environment      VARCHAR(64),
    release_id       VARCHAR(36),
    retryable        BOOLEAN      NOT NULL,
    attempts         INT          NOT NULL,
    next_attempt_at  TIMESTAMP WITH TIME ZONE,
    claimed_by       VARCHAR(64),
    claimed_until    TIMESTAMP WITH TIME ZONE,
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX activity_next_attempt ON activity (next_attempt_at);

-- Where a build the bot started stands, so a reconciler can ask CodeBuild about the ones whose final event
-- never came. Builds recorded before this migration were never followed: they are marked UNKNOWN, not polled.
ALTER TABLE builds ADD COLUMN status VARCHAR(16) NOT NULL DEFAULT 'IN_PROGRESS';
UPDATE builds SET status = 'UNKNOWN';
CREATE INDEX builds_status ON builds (status);
