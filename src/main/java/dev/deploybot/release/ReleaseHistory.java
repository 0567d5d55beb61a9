package dev.deploybot.release;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** The releases and rollbacks an environment saw, newest first; read-only. */
public interface ReleaseHistory {
    /** @param environment null for every environment */
    List<Entry> latest(String environment, int limit);

    /**
     * One request as history tells it.
     *
     * @param approvers  who approved, in order
     * @param finishedAt null while it runs or waits
     * @param channel    with {@code messageTs}, where its message is; either may be null
     */
    record Entry(String id, ReleaseRequest.Kind kind, String environment, String digest, List<String> tags,
                 String requester, List<String> approvers, ReleaseState state, Instant requestedAt, Instant decidedAt,
                 Instant finishedAt, String failure, String channel, String messageTs) {
        public Entry {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(digest, "digest");
            tags = List.copyOf(tags);
            approvers = List.copyOf(approvers);
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(requestedAt, "requestedAt");
        }
    }
}
