package dev.deploybot.slack;

import dev.deploybot.build.BuildAnnouncer;
import dev.deploybot.build.GitRef;
import dev.deploybot.build.StartedBuild;
import dev.deploybot.core.Actor;
import dev.deploybot.core.Environment;
import dev.deploybot.core.ExternalFailure;
import jakarta.inject.Singleton;

import java.util.Optional;

@Singleton
class SlackBuildAnnouncer implements BuildAnnouncer {
    private final SlackChat chat;

    SlackBuildAnnouncer(SlackChat chat) {
        this.chat = chat;
    }

    @Override
    public Optional<String> started(Environment environment, StartedBuild build, GitRef ref, Actor requester) {
        return chat.post(environment.channel(), MessageViews.buildStarted(environment, build, ref, requester));
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
