package dev.deploybot.core;

import java.time.Instant;
import java.util.Objects;

/** One line of the append-only audit log: who asked for what, and how it ended. */
public record AuditEntry(Instant at, String actor, String environment, String action, String outcome, String detail) {
    public AuditEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(outcome, "outcome");
    }
}
