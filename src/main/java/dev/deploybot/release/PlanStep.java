package dev.deploybot.release;

import java.util.Objects;

/**
 * One tag move of a promotion plan: point {@code tag} at {@code manifest}. Steps run in {@code seq}
 * order, oldest generation first, so every generation is copied before it is overwritten.
 *
 * @param previousDigest what the tag named when the plan was made; null when the tag did not exist
 */
public record PlanStep(int seq, String tag, Manifest manifest, String previousDigest, boolean done) {
    public PlanStep {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(manifest, "manifest");
    }
}
