-- Release requests. pending_for / running_for hold the environment name only while the request is
-- pending / running and are NULL otherwise: the unique constraints then allow one pending and one
-- running request per environment, enforced by the database for every replica.
CREATE TABLE release_requests (
    id               VARCHAR(36)  PRIMARY KEY,
    kind             VARCHAR(16)  NOT NULL,
    generations      INT          NOT NULL,
    interrupted      VARCHAR(36),
    environment      VARCHAR(64)  NOT NULL,
    requester        VARCHAR(32)  NOT NULL,
    note             VARCHAR(500),
    repository       VARCHAR(256) NOT NULL,
    candidate_digest VARCHAR(71)  NOT NULL,
    candidate_tags   VARCHAR(2000),
    pushed_at        TIMESTAMP WITH TIME ZONE,
    previous_digest  VARCHAR(71),
    compare_url      VARCHAR(2000),
    state            VARCHAR(16)  NOT NULL,
    pending_for      VARCHAR(64)  UNIQUE,
    running_for      VARCHAR(64)  UNIQUE,
    channel          VARCHAR(32),
    message_ts       VARCHAR(32),
    requested_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    decided_by       VARCHAR(32),
    decided_at       TIMESTAMP WITH TIME ZONE,
    deployment_id    VARCHAR(400),
    deployed_revision VARCHAR(1000),
    finished_at      TIMESTAMP WITH TIME ZONE,
    failure          VARCHAR(2000),
    lease_owner      VARCHAR(64),
    lease_until      TIMESTAMP WITH TIME ZONE
);

CREATE INDEX release_requests_state ON release_requests (state);

-- Distinct approvers of a request; the primary key makes a second click by the same person count once.
CREATE TABLE release_approvals (
    request_id  VARCHAR(36) NOT NULL REFERENCES release_requests (id),
    approver    VARCHAR(32) NOT NULL,
    approved_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (request_id, approver)
);

-- Tag plans, recorded before the first registry write and replayed after a crash: PROMOTE moves the
-- tags of a release or rollback, RESTORE puts them back after a failed release. The previous manifest
-- is kept so a restore needs nothing from the registry that may have been cleaned up since.
CREATE TABLE promotion_steps (
    request_id          VARCHAR(36)  NOT NULL REFERENCES release_requests (id),
    plan                VARCHAR(16)  NOT NULL,
    seq                 INT          NOT NULL,
    tag                 VARCHAR(128) NOT NULL,
    target_digest       VARCHAR(71)  NOT NULL,
    media_type          VARCHAR(200) NOT NULL,
    manifest            TEXT         NOT NULL,
    previous_digest     VARCHAR(71),
    previous_media_type VARCHAR(200),
    previous_manifest   TEXT,
    done_at             TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (request_id, plan, seq)
);

-- A locked environment refuses releases until an approver unlocks it.
CREATE TABLE environment_locks (
    environment VARCHAR(64) PRIMARY KEY,
    holder      VARCHAR(32),
    reason      VARCHAR(500) NOT NULL,
    locked_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
