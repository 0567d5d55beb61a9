package dev.deploybot.activity;

import dev.deploybot.core.Progress;
import java.util.Objects;

/**
 * A build, deployment or image the bot tells people about: the latest change it accepted, and the one Slack
 * message that shows it (its status message). Persisted, so a change accepted while Slack is down is shown
 * when Slack is back, and a restart neither loses nor repeats it.
 *
 * @param change          everything known so far, the newest change laid over the earlier ones
 * @param version         counts the changes accepted; {@code notifiedVersion} is the one Slack shows
 * @param channel         where the status message is or will be
 * @param threadTs        set when the status message is a reply in a thread (a release's message)
 * @param announce        whether a status message is to be posted if there is none yet
 * @param replyWhenDone   also reply in the status message's thread when it ends (builds the bot started)
 * @param messageTs       the status message, once posted (for builds the bot started: its own start message)
 * @param replyTs         the reply posted when it ended; {@link #NO_REPLY} when Slack refused it for good
 * @param requester       the Slack user who started it through the bot
 * @param environment     the environment it belongs to, when known
 * @param releaseId       the release request whose thread it is told in
 * @param retryable       whether a Retry button is offered (someone may start it again)
 */
public record Tracked(Subject subject, Change change, long version, long notifiedVersion, String channel,
                      String threadTs, boolean announce, boolean replyWhenDone, String messageTs, String replyTs,
                      String requester, String environment, String releaseId, boolean retryable) {
    public static final String NO_REPLY = "-";

    public Tracked {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(change, "change");
        Objects.requireNonNull(channel, "channel");
    }

    public Progress progress() {
        return change.progress();
    }

    /** Slack does not show the latest accepted change yet. */
    public boolean behind() {
        return version > notifiedVersion;
    }

    public boolean replyDue() {
        return replyWhenDone && progress().finished() && messageTs != null && replyTs == null;
    }

    public Tracked withChange(Change newer, boolean announceNow, boolean retryableNow) {
        return new Tracked(subject, newer, version + 1, notifiedVersion, channel, threadTs, announce || announceNow,
                replyWhenDone, messageTs, replyTs, requester, environment, releaseId, retryableNow);
    }

    public Tracked withMessage(String ts) {
        return new Tracked(subject, change, version, notifiedVersion, channel, threadTs, announce, replyWhenDone, ts,
                replyTs, requester, environment, releaseId, retryable);
    }
}
