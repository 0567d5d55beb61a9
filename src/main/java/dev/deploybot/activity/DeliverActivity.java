package dev.deploybot.activity;

import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Hands what the journal accepted to the one outbox, recording each hand-over: the status message shows the
 * latest version (once announced), and a build the bot started gets its end reply once. Only the latest
 * version is ever rendered, so a burst of changes costs one outbox write; the outbox paces, coalesces and
 * retries the chat calls, like every other message the bot sends.
 */
@Singleton
public class DeliverActivity {
    private static final Logger LOG = LoggerFactory.getLogger(DeliverActivity.class);
    private static final Duration CLAIM = Duration.ofMinutes(2);
    private static final int BATCH = 50;
    private final ActivityJournal journal;
    private final ActivityAnnouncer announcer;
    private final UnitOfWork unitOfWork;
    private final Clock clock;
    /** Claims name the process, so replicas sharing a database never tell the outbox about one subject at once. */
    private final String owner = "deploybot-" + UUID.randomUUID();

    public DeliverActivity(ActivityJournal journal, ActivityAnnouncer announcer, UnitOfWork unitOfWork, Clock clock) {
        this.journal = journal;
        this.announcer = announcer;
        this.unitOfWork = unitOfWork;
        this.clock = clock;
    }

    /**
     * One round over everything due, kept in one commit (a burst of events costs a commit per round, not several
     * per subject); answers how many subjects it worked on. When one subject cannot be told, nothing of the round
     * is kept and each subject is told on its own, so only that one waits for the next round.
     */
    public int deliverDue() {
        List<Tracked> due = journal.due(clock.instant(), BATCH);
        if (due.isEmpty()) {
            return 0;
        }
        try {
            return unitOfWork.together(() -> due.stream().mapToInt(this::tellUnderClaim).sum());
        } catch (RuntimeException roundFailed) {
            int worked = 0;
            for (Tracked tracked : due) {
                try {
                    worked += unitOfWork.together(() -> tellUnderClaim(tracked));
                } catch (RuntimeException e) {
                    LOG.warn("could not hand {} to the outbox; it is tried again on the next round: {}",
                            tracked.subject().key(), e.toString());
                }
            }
            return worked;
        }
    }

    /**
     * Hands subjects just recorded by {@link RecordChange#recordToTell} (and marked told there) to the outbox, inside
     * the caller's unit of work: an event's message costs no commit of its own. Throws when the outbox cannot take
     * them, so that the marks are undone with the rest of the unit of work.
     */
    public void tellRecorded(List<Tracked> recorded) {
        recorded.forEach(this::handOver);
    }

    /** Answers 1 when it told the outbox, 0 when another replica holds the subject or told it already. */
    private int tellUnderClaim(Tracked tracked) {
        Instant now = clock.instant();
        if (!journal.claim(tracked.subject(), owner, now, now.plus(CLAIM))) {
            return 0;
        }
        try {
            // Read again under the claim: another replica may have told it since the list was made, and only
            // the version read under the claim may be rendered (an older one would overwrite a newer one).
            Optional<Tracked> fresh = journal.find(tracked.subject());
            if (fresh.isPresent() && fresh.get().behind()) {
                tell(fresh.get());
                return 1;
            }
            return 0;
        } finally {
            journal.release(tracked.subject(), owner);
        }
    }

    private void tell(Tracked tracked) {
        handOver(tracked);
        journal.told(tracked.subject(), tracked.version(), tracked.told().replied());
    }

    /** The status message (once announced) at this version, and the end reply when it is due. */
    private void handOver(Tracked tracked) {
        if (tracked.announce()) {
            announcer.show(tracked);
        }
        if (tracked.replyDue()) {
            announcer.replyDone(tracked);
        }
    }
}
