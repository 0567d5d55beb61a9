package dev.deploybot.pipeline;

import dev.deploybot.core.AuditEntry;
import dev.deploybot.core.AuditTrail;
import dev.deploybot.release.ReleaseHistory;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** {@code /deploy history [env] [n]}: the latest releases and rollbacks, newest first. Read-only. */
@Singleton
public class ShowHistory {
    public static final int DEFAULT = 10;
    public static final int MOST = 50;
    private final ReleaseHistory history;
    private final AuditTrail audit;
    private final MeterRegistry meters;
    private final Clock clock;

    public ShowHistory(ReleaseHistory history, AuditTrail audit, MeterRegistry meters, Clock clock) {
        this.history = history;
        this.audit = audit;
        this.meters = meters;
        this.clock = clock;
    }

    /**
     * @param environment empty for every environment
     * @param count       how many, 1 to {@value #MOST}
     */
    public List<ReleaseHistory.Entry> show(String userId, Optional<String> environment, int count) {
        if (count < 1 || count > MOST) {
            throw new IllegalArgumentException("count must be 1 to " + MOST + ": " + count);
        }
        List<ReleaseHistory.Entry> entries = history.latest(environment.orElse(null), count);
        meters.counter("deploybot.history.shown", "scope", environment.isPresent() ? "one" : "all").increment();
        audit.append(new AuditEntry(clock.instant(), userId, environment.orElse("*"), "history", "shown", count + " asked"));
        return entries;
    }
}
