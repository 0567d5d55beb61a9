package dev.deploybot.activity;

import dev.deploybot.core.Progress;
import java.time.Instant;
import java.util.Objects;

/** ECR accepted a push of {@code repository:tag}. */
public record ImagePushed(String repository, String tag, String digest, Instant occurredAt) implements Change {
    public ImagePushed {
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }

    /** A push is done when it is announced; there is nothing to follow afterwards. */
    @Override
    public Progress progress() {
        return Progress.SUCCEEDED;
    }
}
