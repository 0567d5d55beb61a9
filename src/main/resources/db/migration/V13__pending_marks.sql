-- Portable between PostgreSQL and H2 (which runs in PostgreSQL mode).
-- What still has to be told (activity) or delivered (outbox_messages) is marked, and the mark is indexed, so the
-- delivery rounds read only the pending rows instead of the whole table: after a burst of ten thousand events
-- the tables hold ten thousand rows, and a round runs several times a second.
ALTER TABLE activity ADD COLUMN pending BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE activity SET pending = (version > notified_version);
CREATE INDEX activity_pending ON activity (pending, updated_at);

-- Per channel, so that a channel with a long paced backlog never hides the other channels' messages.
ALTER TABLE outbox_messages ADD COLUMN pending BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE outbox_messages SET pending = (delivered_version < version);
CREATE INDEX outbox_messages_pending ON outbox_messages (pending, channel, id);
-- It replaces the index on the next attempt's time, which no query reads any more (every index costs each commit).
DROP INDEX outbox_messages_due;

-- The channels the outbox ever wrote to (a handful, named in the configuration): a round asks each of them for
-- its next letters, through the index above, instead of looking for them among every pending row.
CREATE TABLE outbox_channels (
    channel VARCHAR(32) PRIMARY KEY
);
INSERT INTO outbox_channels (channel) SELECT DISTINCT channel FROM outbox_messages;
