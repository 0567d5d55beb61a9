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
 * Brings Slack up to date with the journal, one step at a time, recording each step as soon as it is done:
 * post the status message (or adopt the bot's own start message), update it to the latest version, reply
 * when it ended. A step Slack could not take is retried later with growing pauses; one Slack refused for good
 * is skipped. Only the latest version is ever rendered, so a burst of changes costs one update.
 */
@Singleton
public class DeliverActivity {
    private static final Logger LOG = LoggerFactory.getLogger(DeliverActivity.class);
    private static final Duration CLAIM = Duration.ofMinutes(2);
    private static final int BATCH = 50;
    private final ActivityJournal journal;
    private final BotBuilds botBuilds;
    private final ActivityAnnouncer announcer;
    private final DeliveryPace pace;
    private final Clock clock;
    /** Claims name the process, so replicas sharing a database never talk to Slack about one subject at once. */
    private final String owner = "deploybot-" + UUID.randomUUID();

    public DeliverActivity(ActivityJournal journal, BotBuilds botBuilds, ActivityAnnouncer announcer, DeliveryPace pace,
                           Clock clock) {
        this.journal = journal;
        this.botBuilds = botBuilds;
        this.announcer = announcer;
        this.pace = pace;
        this.clock = clock;
    }

    /** One round over everything due; answers how many subjects it worked on. */
    public int deliverDue() {
        List<Tracked> due = journal.due(clock.instant(), BATCH);
        int worked = 0;
        for (Tracked tracked : due) {
            Instant now = clock.instant();
            if (!journal.claim(tracked.subject(), owner, now, now.plus(CLAIM))) {
                continue;
            }
            try {
                // Read again under the claim: another replica may have delivered it since the list was made.
                Optional<Tracked> fresh = journal.find(tracked.subject());
                if (fresh.isPresent()) {
                    deliver(fresh.get());
                    worked++;
                }
            } finally {
                journal.release(tracked.subject(), owner);
            }
        }
        return worked;
    }

    private void deliver(Tracked tracked) {
        Subject subject = tracked.subject();
        tracked = adoptStartMessage(tracked);
        if (tracked.messageTs() == null) {
            if (!tracked.announce()) {
                journal.notified(subject, tracked.version(), null); // nothing anyone asked to see yet
                return;
            }
            ActivityAnnouncer.Sent sent = announcer.post(tracked);
            if (sent instanceof ActivityAnnouncer.Sent.Done done) {
                journal.posted(subject, done.ts(), tracked.version(), spaced());
                tracked = tracked.withMessage(done.ts());
            } else if (sent instanceof ActivityAnnouncer.Sent.Refused refused) {
                LOG.warn("Slack refused the message about {}: {}", subject.key(), refused.reason());
                journal.notified(subject, tracked.version(), null);
                return;
            } else {
                retryLater(subject);
                return;
            }
        } else if (tracked.behind()) {
            ActivityAnnouncer.Sent sent = announcer.update(tracked);
            if (sent instanceof ActivityAnnouncer.Sent.Unavailable) {
                retryLater(subject);
                return;
            }
            if (sent instanceof ActivityAnnouncer.Sent.Refused refused) {
                LOG.warn("Slack refused to update the message about {}: {}", subject.key(), refused.reason());
            }
            journal.notified(subject, tracked.version(), spaced());
        }
        if (tracked.replyDue()) {
            ActivityAnnouncer.Sent sent = announcer.replyDone(tracked);
            if (sent instanceof ActivityAnnouncer.Sent.Done done) {
                journal.replied(subject, done.ts());
            } else if (sent instanceof ActivityAnnouncer.Sent.Refused refused) {
                LOG.warn("Slack refused the reply about {}: {}", subject.key(), refused.reason());
                journal.replied(subject, Tracked.NO_REPLY);
            } else {
                retryLater(subject);
            }
        }
    }

    /**
     * A build the bot started has its own start message, but an event can overtake the moment its ts is stored:
     * look again before posting a second message about the same build.
     */
    private Tracked adoptStartMessage(Tracked tracked) {
        if (tracked.messageTs() != null || tracked.subject().kind() != Subject.Kind.BUILD || tracked.requester() == null) {
            return tracked;
        }
        Optional<BotBuilds.BotBuild> bot = botBuilds.find(tracked.subject().id());
        if (bot.isEmpty() || bot.get().messageTs() == null || !tracked.channel().equals(bot.get().channel())) {
            return tracked;
        }
        journal.posted(tracked.subject(), bot.get().messageTs(), tracked.notifiedVersion(), null);
        return tracked.withMessage(bot.get().messageTs());
    }

    private void retryLater(Subject subject) {
        journal.retryLater(subject, clock.instant().plus(pace.afterFailures(journal.attempts(subject))));
    }

    private Instant spaced() {
        return pace.updateSpacing().isZero() ? null : clock.instant().plus(pace.updateSpacing());
    }
}
