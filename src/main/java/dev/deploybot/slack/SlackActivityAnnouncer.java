package dev.deploybot.slack;

import dev.deploybot.activity.ActivityAnnouncer;
import dev.deploybot.activity.Outbox;
import dev.deploybot.activity.Tracked;
import jakarta.inject.Singleton;

import java.time.Clock;

/** Renders event news into the outbox: the subject's status message, keyed by the subject, and its end reply. */
@Singleton
class SlackActivityAnnouncer implements ActivityAnnouncer {
    private final Outbox outbox;
    private final Clock clock;

    SlackActivityAnnouncer(Outbox outbox, Clock clock) {
        this.outbox = outbox;
        this.clock = clock;
    }

    @Override
    public void show(Tracked tracked) {
        Outbox.Content content = EventViews.status(tracked).content();
        if (tracked.toldVersion() == 0 && !tracked.replyWhenDone()) {
            // Never told before, and not a build the bot started (whose start message has this key already).
            outbox.showFirst(tracked.subject().key(), tracked.channel(), content, clock.instant());
        } else {
            outbox.show(tracked.subject().key(), tracked.channel(), content, clock.instant());
        }
    }

    @Override
    public void replyDone(Tracked tracked) {
        outbox.reply(tracked.subject().key(), tracked.channel(), EventViews.done(tracked).content(), clock.instant());
    }
}
