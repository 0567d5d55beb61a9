package dev.deploybot.activity;

import dev.deploybot.core.Progress;

import java.util.Objects;

/**
 * A build, deployment or image the bot tells people about: the latest change it accepted, and how far the
 * outbox has been told of it. Its status message is the outbox's message keyed by {@link Subject#key()}
 * (for a build the bot started: the start message itself). Persisted, so a change accepted just before a
 * restart is still told.
 *
 * @param change          everything known so far, the newest change laid over the earlier ones
 * @param version         counts the changes accepted; {@code toldVersion} is the one handed to the outbox
 * @param channel         where the status message is or will be
 * @param announce        whether the subject has (or is to have) a status message; once true it stays true,
 *                        so a message once shown is kept current whatever its state
 * @param replyWhenDone   also reply in the status message's thread when it ends (builds the bot started)
 * @param replied         that reply was handed to the outbox
 * @param requester       the Slack user who started it through the bot
 * @param environment     the environment it belongs to, when known
 * @param retryable       whether a Retry button is offered (someone may start it again)
 */
public record Tracked(Subject subject, Change change, long version, long toldVersion, String channel,
                      boolean announce, boolean replyWhenDone, boolean replied, String requester, String environment,
                      boolean retryable) {
    public Tracked {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(change, "change");
        Objects.requireNonNull(channel, "channel");
    }

    /** A subject seen for the first time: version 1, nothing told yet. */
    public static Tracked first(Subject subject, Change change, String channel, boolean announce, boolean replyWhenDone,
                                String requester, String environment, boolean retryable) {
        return new Tracked(subject, change, 1, 0, channel, announce, replyWhenDone, false, requester, environment, retryable);
    }

    public Progress progress() {
        return change.progress();
    }

    /** The outbox was not given the latest accepted change yet. */
    public boolean behind() {
        return version > toldVersion;
    }

    public boolean replyDue() {
        return replyWhenDone && announce && progress().finished() && !replied;
    }

    /** As kept once it is handed to the outbox now: told up to this version, with its end reply when that is due. */
    public Tracked told() {
        return new Tracked(subject, change, version, version, channel, announce, replyWhenDone, replied || replyDue(),
                requester, environment, retryable);
    }

    public Tracked withChange(Change newer, boolean announceNow, boolean retryableNow) {
        return new Tracked(subject, newer, version + 1, toldVersion, channel, announce || announceNow,
                replyWhenDone, replied, requester, environment, retryableNow);
    }
}
