package dev.deploybot.slack;

import dev.deploybot.core.Environment;
import dev.deploybot.core.Environments;
import dev.deploybot.release.ReleaseAnnouncer;
import dev.deploybot.release.ReleaseRequest;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;

@Singleton
class SlackReleaseAnnouncer implements ReleaseAnnouncer {
    private static final Logger LOG = LoggerFactory.getLogger(SlackReleaseAnnouncer.class);
    private final Environments environments;
    private final SlackChat chat;
    private final MessageUpdates updates;

    SlackReleaseAnnouncer(Environments environments, SlackChat chat, MessageUpdates updates) {
        this.environments = environments;
        this.chat = chat;
        this.updates = updates;
    }

    @Override
    public Optional<String> requested(ReleaseRequest request) {
        Environment environment = environment(request);
        return chat.post(environment.channel(), ReleaseViews.release(environment, request, null));
    }

    @Override
    public void updated(ReleaseRequest request, String status) {
        if (request.messageTs() == null) {
            LOG.warn("release {} has no Slack message to update", request.id());
            return;
        }
        updates.update(request.channel(), request.messageTs(), ReleaseViews.release(environment(request), request, status));
    }

    @Override
    public void detail(ReleaseRequest request, String line) {
        if (request.messageTs() != null) {
            chat.reply(request.channel(), request.messageTs(), new SlackView(line, List.of(
                    com.slack.api.model.block.Blocks.section(s -> s.text(MessageViews.markdown(line))))));
        }
    }

    @Override
    public void drift(String environment, String releaseTag, String taggedDigest, String runningDigest) {
        environments.find(environment).ifPresent(found ->
                chat.post(found.channel(), ReleaseViews.drift(found, releaseTag, taggedDigest, runningDigest)));
    }

    private Environment environment(ReleaseRequest request) {
        return environments.find(request.environment()).orElseThrow(() ->
                new IllegalStateException("release " + request.id() + " names unknown environment " + request.environment()));
    }
}
