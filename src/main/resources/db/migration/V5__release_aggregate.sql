-- The release aggregate is saved whole, conditional on the version it was read at (optimistic locking):
-- two approvals read at the same version cannot both be saved, so none is lost and one decision wins.
ALTER TABLE release_requests ADD COLUMN version BIGINT DEFAULT 0 NOT NULL;
-- Why a release failed, as a cause the chat edge words (failure keeps the detail), and the digest the
-- release tag names again when the tags were restored.
ALTER TABLE release_requests ADD COLUMN failure_cause VARCHAR(32);
ALTER TABLE release_requests ADD COLUMN restored_digest VARCHAR(71);
