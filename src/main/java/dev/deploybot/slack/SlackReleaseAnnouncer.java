package dev.deploybot.slack;

import com.slack.api.model.block.Blocks;
import dev.deploybot.activity.Outbox;
import dev.deploybot.activity.ReleaseThreads;
import dev.deploybot.core.Environment;
import dev.deploybot.core.Environments;
import dev.deploybot.release.ReleaseAnnouncer;
import dev.deploybot.release.ReleaseNews;
import dev.deploybot.release.ReleaseRequest;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The narrator of each release: renders what the pipeline tells it into the release's one message and its
 * thread, and stores them in the outbox. It never calls Slack, so no release step waits on Slack.
 */
@Singleton
class SlackReleaseAnnouncer implements ReleaseAnnouncer {
    private final Environments environments;
    private final Outbox outbox;
    private final Clock clock;

    SlackReleaseAnnouncer(Environments environments, Outbox outbox, Clock clock) {
        this.environments = environments;
        this.outbox = outbox;
        this.clock = clock;
    }

    @Override
    public void tell(ReleaseRequest request, ReleaseNews news) {
        Environment environment = environments.find(request.environment()).orElseThrow(() ->
                new IllegalStateException("release " + request.id() + " names unknown environment " + request.environment()));
        String key = ReleaseThreads.messageKey(request.id());
        if (ReleaseViews.changesMessage(news)) {
            outbox.show(key, environment.channel(), ReleaseViews.release(environment, request, news)
                    .content(), clock.instant());
        }
        // An automatic rollback tells its progress in the thread of the release whose alarm fired, where people look.
        String threadKey = request.isAutomatic() ? ReleaseThreads.messageKey(request.deployment().interrupted()) : key;
        Optional<String> line = ReleaseViews.threadLine(environment, request, news);
        line.ifPresent(text -> outbox.reply(threadKey, environment.channel(),
                new SlackView(text, List.of(Blocks.section(s -> s.text(MessageViews.markdown(text))))).content(), clock.instant()));
    }

    @Override
    public void drift(String environment, String releaseTag, String taggedDigest, String runningDigest) {
        environments.find(environment).ifPresent(found -> outbox.show("drift:" + environment + ":" + taggedDigest + ":" + runningDigest,
                found.channel(), ReleaseViews.drift(found, releaseTag, taggedDigest, runningDigest).content(), clock.instant()));
    }
}
