package dev.deploybot.activity;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the bot shows in chat, stored before it is sent: a message is kept by its key and only its
 * latest content is delivered (so a burst of changes costs one update), thread replies wait for their
 * message, and nothing is lost when the chat service is down or the process restarts. The content is
 * opaque here: the chat edge renders it and delivers it.
 */
public interface Outbox {
    /** The message {@code key} should show {@code content}: posted the first time, updated to the latest content after. */
    void show(String key, String channel, Content content, Instant now);

    /**
     * As {@link #show}, for a message that is most likely not there yet (a subject shown for the first time): a
     * store may then try the insert first. Still correct when the message exists.
     */
    default void showFirst(String key, String channel, Content content, Instant now) {
        show(key, channel, content, now);
    }

    /** Posts {@code content} in the thread of the message {@code threadKey}, after that message and earlier replies. */
    void reply(String threadKey, String channel, Content content, Instant now);

    /** The chat's id of the message, once it was posted. */
    Optional<String> messageTs(String key);

    /**
     * Letters to deliver now: behind their latest content, not waiting for a retry, not claimed, thread posted;
     * the oldest {@code perChannel} of each channel, so a channel with a long backlog never holds up the others.
     */
    List<Letter> due(Instant now, int perChannel);

    /** Takes the right to deliver the letter until {@code until}; false when another worker holds it. */
    boolean claim(long id, String owner, Instant now, Instant until);

    /** The chat shows {@code version} of the letter now (as message {@code ts}); nothing more for it before {@code next}. */
    void delivered(long id, long version, String ts, Instant next);

    /** The chat service could not take it now: try again at {@code at}, counting the failed attempt. */
    void retryLater(long id, Instant at);

    /** The chat service refused {@code version} for good; it is not tried again unless newer content arrives. */
    void abandon(long id, long version);

    void release(long id, String owner);

    /** How many messages the chat does not show at their latest content yet; reads the whole outbox, so not for every call. */
    long backlog();

    /** @param blocks the rendered layout, as the chat service reads it; null for text only */
    record Content(String text, String blocks) {
        public Content {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * @param threadTs the chat's id of the message this letter replies to; null when it is not a reply
     * @param ts       the chat's id of this letter's message once posted; null until then
     */
    record Letter(long id, String key, String channel, String threadTs, String ts, Content content, long version, int attempts) {
    }
}
