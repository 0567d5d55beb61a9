package dev.deploybot.slack;

import dev.deploybot.activity.Outbox;
import dev.deploybot.activity.Subject;
import dev.deploybot.build.BuildAnnouncer;
import dev.deploybot.build.GitRef;
import dev.deploybot.build.StartedBuild;
import dev.deploybot.core.Actor;
import dev.deploybot.core.Environment;
import dev.deploybot.core.ExternalFailure;
import jakarta.inject.Singleton;

import java.time.Clock;

/**
 * The start message goes through the outbox under the build's subject key, so the news events bring later
 * updates that same message. The private answers to the requester are ephemeral and go straight to Slack.
 */
@Singleton
class SlackBuildAnnouncer implements BuildAnnouncer {
    private final Outbox outbox;
    private final SlackChat chat;
    private final Clock clock;

    SlackBuildAnnouncer(Outbox outbox, SlackChat chat, Clock clock) {
        this.outbox = outbox;
        this.chat = chat;
        this.clock = clock;
    }

    @Override
    public void started(Environment environment, StartedBuild build, GitRef ref, Actor requester) {
        outbox.show(Subject.build(build.id()).key(), environment.channel(),
                MessageViews.buildStarted(environment, build, ref, requester).content(), clock.instant());
    }

    @Override
    public void askingAgain(Environment environment, GitRef ref, Actor requester, String channelId) {
        chat.whisper(channelId, requester.userId(), MessageViews.buildAskingAgain(environment, ref));
    }

    @Override
    public void mayHaveStarted(Environment environment, GitRef ref, Actor requester, String channelId) {
        chat.whisper(channelId, requester.userId(), MessageViews.buildMayHaveStarted(environment, ref));
    }

    @Override
    public void refused(Environment environment, GitRef ref, Actor requester, String channelId, ExternalFailure failure) {
        chat.whisper(channelId, requester.userId(), MessageViews.buildRefused(environment, ref, failure));
    }
}
