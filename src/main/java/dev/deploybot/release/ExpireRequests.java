package dev.deploybot.release;

import dev.deploybot.core.AuditEntry;
import dev.deploybot.core.AuditTrail;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;

/** Closes requests nobody decided in time, so stale buttons cannot ship an old image later. */
@Singleton
public class ExpireRequests {
    private final ReleaseJournal journal;
    private final ReleaseAnnouncer announcer;
    private final AuditTrail audit;
    private final Clock clock;

    public ExpireRequests(ReleaseJournal journal, ReleaseAnnouncer announcer, AuditTrail audit, Clock clock) {
        this.journal = journal;
        this.announcer = announcer;
        this.audit = audit;
        this.clock = clock;
    }

    public int expire() {
        Instant now = clock.instant();
        int expired = 0;
        for (ReleaseRequest request : journal.pendingExpiredAt(now)) {
            if (request.expire(now) instanceof ReleaseRequest.Moved moved
                    && journal.save(moved.request()) instanceof ReleaseJournal.Saved saved) {
                expired++;
                audit.append(new AuditEntry(now, null, request.environment(), "release", "expired", request.id()));
                announcer.tell(saved.request(), new ReleaseNews.Decided());
            }
        }
        return expired;
    }
}
