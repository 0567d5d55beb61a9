-- Every image a request pins, the default one first (seq 0): a release of several repositories is
-- approved, deployed and rolled back as one. A request stored before this table has no rows here and
-- reads as one image: its repository and candidate digest, into the deploy settings' container.
CREATE TABLE release_images (
    request_id      VARCHAR(36)  NOT NULL REFERENCES release_requests (id),
    seq             INT          NOT NULL,
    repository      VARCHAR(256) NOT NULL,
    container       VARCHAR(255),
    digest          VARCHAR(71)  NOT NULL,
    commit_tag      VARCHAR(128),
    previous_digest VARCHAR(71),
    PRIMARY KEY (request_id, seq)
);

-- One plan covers every repository of a request; steps recorded before this column are of the request's
-- own repository.
ALTER TABLE promotion_steps ADD COLUMN repository VARCHAR(256);
