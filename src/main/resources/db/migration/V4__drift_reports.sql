-- Each mismatch between the release tag and what the service runs is reported once, by every replica together.
CREATE TABLE drift_reports (
    environment     VARCHAR(64) NOT NULL,
    release_digest  VARCHAR(71) NOT NULL,
    running_digest  VARCHAR(71) NOT NULL,
    reported_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (environment, release_digest, running_digest)
);
