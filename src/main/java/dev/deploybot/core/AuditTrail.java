package dev.deploybot.core;

import java.util.List;

/** The append-only record of every command and decision. */
public interface AuditTrail {
    void append(AuditEntry entry);

    List<AuditEntry> recent(int limit);
}
