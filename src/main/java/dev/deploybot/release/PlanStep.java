package dev.deploybot.release;

import java.util.Objects;

/**
 * One tag move of a plan: point {@code repository}'s {@code tag} at {@code manifest}. Steps run in {@code seq}
 * order; one plan covers every repository a request releases.
 *
 * @param previous what the tag named when the plan was made, kept whole so it can be put back; null
 *                 when the tag did not exist
 */
public record PlanStep(int seq, String repository, String tag, Manifest manifest, Manifest previous, boolean done) {
    public PlanStep {
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(manifest, "manifest");
    }

    /** The same move, numbered {@code seq} in a plan over several repositories. */
    PlanStep numbered(int seq) {
        return new PlanStep(seq, repository, tag, manifest, previous, done);
    }

    public PlanStep completed() {
        return new PlanStep(seq, repository, tag, manifest, previous, true);
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
