package dev.deploybot.slack;

import dev.deploybot.activity.ActivityAnnouncer;
import dev.deploybot.activity.Tracked;
import jakarta.inject.Singleton;

@Singleton
class SlackActivityAnnouncer implements ActivityAnnouncer {
    private final SlackChat chat;
    private final SlackPace pace;

    SlackActivityAnnouncer(SlackChat chat, SlackPace pace) {
        this.chat = chat;
        this.pace = pace;
    }

    @Override
    public Sent post(Tracked tracked) {
        pace.awaitTurn(tracked.channel());
        return sent(chat.postMessage(tracked.channel(), tracked.threadTs(), EventViews.status(tracked)));
    }

    @Override
    public Sent update(Tracked tracked) {
        return sent(chat.updateMessage(tracked.channel(), tracked.messageTs(), EventViews.status(tracked)));
    }

    @Override
    public Sent replyDone(Tracked tracked) {
        pace.awaitTurn(tracked.channel());
        String thread = tracked.threadTs() != null ? tracked.threadTs() : tracked.messageTs();
        return sent(chat.postMessage(tracked.channel(), thread, EventViews.done(tracked)));
    }

    private static Sent sent(SlackChat.Result result) {
        if (result instanceof SlackChat.Result.Ok ok) {
            return new Sent.Done(ok.ts());
        }
        if (result instanceof SlackChat.Result.Refused refused) {
            return new Sent.Refused(refused.error());
        }
        return new Sent.Unavailable();
    }
}
