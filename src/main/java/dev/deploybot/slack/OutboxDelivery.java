package dev.deploybot.slack;

import dev.deploybot.activity.Outbox;
import dev.deploybot.activity.ReleaseThreads;
import dev.deploybot.config.LogContext;
import dev.deploybot.config.StoreOutage;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * The one path by which stored messages reach Slack: each round takes what is due from the outbox, each
 * channel's oldest first, and makes one attempt per letter under {@link SlackPace}. A channel that must wait
 * (its post turn, a {@code Retry-After}, a failure) is left for the next round, so its letters keep their order,
 * while the other channels go on.
 */
@Singleton
class OutboxDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxDelivery.class);
    /** A channel takes about one new message a second: a round needs only the next few of each. */
    private static final int PER_CHANNEL = 10;
    private static final Duration CLAIM = Duration.ofMinutes(1);
    private final Outbox outbox;
    /** Resolved when a letter is due: the first round comes while the bot starts, and the Slack client can wait. */
    private final Provider<SlackChat> chat;
    private final SlackPace pace;
    private final Clock clock;
    /** Claims name the process, so replicas sharing a database never deliver one letter twice at once. */
    private final String owner = "deploybot-" + UUID.randomUUID();

    OutboxDelivery(Outbox outbox, Provider<SlackChat> chat, SlackPace pace, Clock clock) {
        this.outbox = outbox;
        this.chat = chat;
        this.pace = pace;
        this.clock = clock;
    }

    @Scheduled(fixedDelay = "${deploybot.slack.outbox-interval:200ms}", initialDelay = "${deploybot.slack.outbox-interval:200ms}")
    void deliverDue() {
        try {
            Set<String> waiting = new HashSet<>();
            for (Outbox.Letter letter : outbox.due(clock.instant(), PER_CHANNEL)) {
                if (!waiting.contains(letter.channel()) && !deliver(letter)) {
                    waiting.add(letter.channel());
                }
            }
        } catch (RuntimeException e) {
            if (!StoreOutage.report(LOG, "delivering the outbox", e)) {
                LOG.error("delivering the outbox failed; trying again on the next round", e);
            }
        }
    }

    /** Answers false when the letter's channel must wait. */
    private boolean deliver(Outbox.Letter letter) {
        Instant now = clock.instant();
        boolean post = letter.ts() == null;
        if (post && !pace.mayPost(letter.channel(), now)) {
            return false;
        }
        if (!outbox.claim(letter.id(), owner, now, now.plus(CLAIM))) {
            return true;
        }
        LogContext context = LogContext.release(releaseOf(letter), null);
        try {
            SlackChat.Result result = chat.get().deliverOnce(letter.channel(), letter.threadTs(), letter.ts(),
                    letter.content().text(), letter.content().blocks());
            if (post) {
                pace.posted(letter.channel(), now);
            }
            if (result instanceof SlackChat.Result.Ok ok) {
                outbox.delivered(letter.id(), letter.version(), ok.ts(), pace.nextUpdate(now));
                return true;
            }
            if (result instanceof SlackChat.Result.Refused refused) {
                LOG.warn("Slack refused message {} in {} for good: {}", letter.id(), letter.channel(), refused.error());
                outbox.abandon(letter.id(), letter.version());
                return true;
            }
            Duration retryAfter = ((SlackChat.Result.Unreachable) result).retryAfter();
            Instant retry = retryAfter == null ? pace.retryAt(now, letter.attempts()) : now.plus(retryAfter);
            if (retryAfter != null) {
                pace.hold(letter.channel(), retry);
            }
            outbox.retryLater(letter.id(), retry);
            return false;
        } finally {
            outbox.release(letter.id(), owner);
            context.close();
        }
    }

    /** The release whose own message this letter is; null for any other message. */
    private static String releaseOf(Outbox.Letter letter) {
        return letter.key() != null && letter.key().startsWith(ReleaseThreads.KEY_PREFIX)
                ? letter.key().substring(ReleaseThreads.KEY_PREFIX.length()) : null;
    }
}
