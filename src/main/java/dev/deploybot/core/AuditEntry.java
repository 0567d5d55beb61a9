package dev.deploybot.core;

import java.time.Instant;
import java.util.Objects;

/**
 * One line of the append-only audit log: who asked for what, and how it ended. Values are cut to the
 * widths the log keeps, so a refusal of something too long is still recorded (with what fits).
 */
public record AuditEntry(Instant at, String actor, String environment, String action, String outcome, String detail) {
    public static final int MAX_ACTOR = 32;
    public static final int MAX_ENVIRONMENT = 64;
    public static final int MAX_ACTION = 64;
    public static final int MAX_OUTCOME = 64;
    public static final int MAX_DETAIL = 4000;

    public AuditEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(outcome, "outcome");
        actor = cut(actor, MAX_ACTOR);
        environment = cut(environment, MAX_ENVIRONMENT);
        action = cut(action, MAX_ACTION);
        outcome = cut(outcome, MAX_OUTCOME);
        detail = cut(detail, MAX_DETAIL);
    }

    /** {@code text} if it fits in {@code max} characters, else its beginning ending in "…" (without splitting a surrogate pair). */
    public static String cut(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int end = max - 1;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "…";
    }
}
