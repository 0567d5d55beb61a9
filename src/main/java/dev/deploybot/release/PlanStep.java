package dev.deploybot.release;

import java.util.Objects;

/**
 * One tag move of a plan: point {@code tag} at {@code manifest}. Steps run in {@code seq} order.
 *
 * @param previous what the tag named when the plan was made, kept whole so it can be put back; null
 *                 when the tag did not exist
 */
public record PlanStep(int seq, String tag, Manifest manifest, Manifest previous, boolean done) {
    public PlanStep {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(manifest, "manifest");
    }

    public String previousDigest() {
        return previous == null ? null : previous.digest();
    }

    /** Which of a request's plans a step belongs to. */
    public enum Plan {
        /** Moves the tags of a release or a rollback. */
        PROMOTE,
        /** Puts the tags back after a release whose deployment failed. */
        RESTORE
    }
}
