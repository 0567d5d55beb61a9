-- Portable between PostgreSQL and H2 (which runs in PostgreSQL mode).
-- One delivery path: news about builds, deployments and images is rendered into outbox_messages like every other
-- message, keyed by its subject ('build:<id>', 'ecs:<id>', ...). The activity table keeps what is known of each
-- subject and how far the outbox was told of it (notified_version); it no longer talks to Slack itself.

-- Messages already in Slack stay the ones later news updates: each becomes an outbox row under its subject's key,
-- marked delivered as it is (its text is only ever sent once newer content arrives).
INSERT INTO outbox_messages (message_key, channel, text, ts, version, delivered_version, attempts, next_attempt_at, created_at)
SELECT subject_key, channel, '', message_ts, 1, 1, 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP
FROM activity WHERE message_ts IS NOT NULL AND thread_ts IS NULL;

-- A build's start message was its status message too.
INSERT INTO outbox_messages (message_key, channel, text, ts, version, delivered_version, attempts, next_attempt_at, created_at)
SELECT 'build:' || b.build_id, b.channel, '', b.message_ts, 1, 1, 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP
FROM builds b
WHERE b.message_ts IS NOT NULL AND b.channel IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM outbox_messages m WHERE m.message_key = 'build:' || b.build_id);

-- The end reply is now handed to the outbox with the change that ended the build.
ALTER TABLE activity ADD COLUMN replied BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE activity SET replied = TRUE WHERE reply_ts IS NOT NULL;
-- A reply that was still due is told again, with the build's last change.
UPDATE activity SET notified_version = version - 1
WHERE reply_when_done AND progress <> 'IN_PROGRESS' AND reply_ts IS NULL AND version = notified_version;
-- A pending build the bot started has its start message (or gets one now): it is shown either way.
UPDATE activity SET announce = TRUE WHERE reply_when_done;

-- A release's deployment is told by the release alone now: what was waiting for its thread is dropped.
UPDATE activity SET notified_version = version WHERE thread_ts IS NOT NULL;

DROP INDEX activity_next_attempt;
ALTER TABLE activity DROP COLUMN thread_ts;
ALTER TABLE activity DROP COLUMN message_ts;
ALTER TABLE activity DROP COLUMN reply_ts;
ALTER TABLE activity DROP COLUMN release_id;
ALTER TABLE activity DROP COLUMN attempts;
ALTER TABLE activity DROP COLUMN next_attempt_at;
ALTER TABLE builds DROP COLUMN message_ts;

-- News about a deployment is matched to its release by the deployment's id.
CREATE INDEX release_requests_deployment ON release_requests (deployment_id);
