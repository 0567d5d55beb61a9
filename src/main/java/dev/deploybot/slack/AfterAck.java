package dev.deploybot.slack;

import dev.deploybot.config.WorkExecutor;
import dev.deploybot.core.StoreUnavailable;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * The one policy every slash command and button follows once its input is checked: Slack is answered at
 * once, the slow work runs on its lane, and whoever asked always hears back — "busy" when the lane is
 * full, an apology when the work broke. Lanes keep slow work of one kind (staging builds stuck on AWS)
 * from making another kind (approvals, rollbacks, unlocks) answer "busy".
 */
@Singleton
class AfterAck {
    private static final Logger LOG = LoggerFactory.getLogger(AfterAck.class);
    static final String BUSY = ":hourglass: deploybot is busy right now; nothing was started. Try again in a minute.";
    static final String BROKEN = ":x: deploybot hit an internal error (logged); nothing was done.";
    static final String STARTING = ":hourglass: deploybot is still starting and cannot reach its records yet; nothing was done. "
            + "Try again in a moment.";
    static final String NO_RECORDS = ":x: deploybot cannot open its database (logged); nothing was done.";
    private final SlackChat chat;
    private final ExecutorService builds;
    private final ExecutorService releases;
    private final ExecutorService replies;

    AfterAck(SlackChat chat, @Named(WorkExecutor.BUILDS) ExecutorService builds,
             @Named(WorkExecutor.RELEASES) ExecutorService releases, @Named(WorkExecutor.NAME) ExecutorService replies) {
        this.chat = chat;
        this.builds = builds;
        this.releases = releases;
        this.replies = replies;
    }

    /** Where work waits for a thread. */
    enum Lane {
        /** Starting builds: CodeBuild may hang, and nothing else waits for it. */
        BUILDS,
        /** Release and rollback requests, decisions, locks and unlocks. */
        RELEASES,
        /** Short private answers that only talk to Slack. */
        REPLIES
    }

    /** Who hears privately how their request went. */
    record Requester(String channelId, String userId) {
    }

    /**
     * For a slash command: hands {@code work} to its lane and returns what Slack shows the requester now —
     * {@code acknowledgement}, or {@link #BUSY} when the lane is full.
     *
     * @param failed how the requester's private apology starts when the work breaks, e.g. "No release was requested"
     */
    String command(Lane lane, Requester requester, String acknowledgement, String failed, Runnable work) {
        try {
            executor(lane).execute(() -> guarded(requester, failed, work));
            return acknowledgement;
        } catch (RejectedExecutionException full) {
            LOG.warn("the {} lane is full; refused work for {}", lane, requester.userId());
            return BUSY;
        }
    }

    /** For a button: Slack's answer is an empty ack, so "busy" is told privately. */
    void click(Lane lane, Requester requester, String failed, Runnable work) {
        if (command(lane, requester, "", failed, work).equals(BUSY)) {
            whisper(requester, ":hourglass: deploybot is busy right now; your click changed nothing. Try again in a minute.");
        }
    }

    /** A private answer after the ack, for handlers that have nothing slow to do but must not answer inline. */
    void whisper(Requester requester, String text) {
        try {
            replies.execute(() -> chat.whisper(requester.channelId(), requester.userId(), text));
        } catch (RejectedExecutionException full) {
            LOG.warn("the reply lane is full; dropped a private answer to {}", requester.userId());
        }
    }

    /** The part of a handler that runs before the ack: whatever breaks there is answered, never thrown at Slack. */
    String answer(String what, Supplier<String> handler) {
        try {
            return handler.get();
        } catch (RuntimeException e) {
            Optional<StoreUnavailable> unavailable = StoreUnavailable.in(e);
            if (unavailable.isPresent()) {
                LOG.warn("{} refused: {}", what, unavailable.get().getMessage());
                return unavailable.get().retryable() ? STARTING : NO_RECORDS;
            }
            LOG.error("{} failed before the ack", what, e);
            return BROKEN;
        }
    }

    private void guarded(Requester requester, String failed, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            Optional<StoreUnavailable> unavailable = StoreUnavailable.in(e);
            if (unavailable.isPresent()) {
                LOG.warn("{} for {}: {}", failed, requester.userId(), unavailable.get().getMessage());
                chat.whisper(requester.channelId(), requester.userId(), ":x: " + failed + ": deploybot "
                        + (unavailable.get().retryable() ? "is still starting; try again in a moment." : "cannot open its database (logged)."));
                return;
            }
            LOG.error("{} for {}: internal error", failed, requester.userId(), e);
            chat.whisper(requester.channelId(), requester.userId(), ":x: " + failed + ": deploybot hit an internal error (logged).");
        }
    }

    private ExecutorService executor(Lane lane) {
        return switch (lane) {
            case BUILDS -> builds;
            case RELEASES -> releases;
            case REPLIES -> replies;
        };
    }
}
