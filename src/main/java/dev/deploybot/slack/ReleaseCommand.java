package dev.deploybot.slack;

import dev.deploybot.config.WorkExecutor;
import dev.deploybot.core.Environment;
import dev.deploybot.core.ExternalFailure;
import dev.deploybot.release.ReleaseRequest;
import dev.deploybot.release.RequestRelease;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutorService;

/** {@code /deploy prd [note]}: ask for an approved release of the image the source tag names now. */
@Singleton
class ReleaseCommand implements EnvironmentCommand {
    private static final Logger LOG = LoggerFactory.getLogger(ReleaseCommand.class);
    static final int MAX_NOTE = 300;
    private final RequestRelease requestRelease;
    private final SlackChat chat;
    private final ExecutorService work;

    ReleaseCommand(RequestRelease requestRelease, SlackChat chat, @Named(WorkExecutor.NAME) ExecutorService work) {
        this.requestRelease = requestRelease;
        this.chat = chat;
        this.work = work;
    }

    @Override
    public boolean handles(Environment environment) {
        return environment.release().isPresent();
    }

    @Override
    public String handle(Environment environment, String arguments, DeployInvocation invocation) {
        if (arguments.length() > MAX_NOTE) {
            return ":no_entry: The release note is longer than " + MAX_NOTE + " characters; nothing was requested.";
        }
        String note = arguments.chars().anyMatch(Character::isISOControl) ? arguments.replaceAll("\\p{Cntrl}", " ") : arguments;
        work.execute(() -> {
            try {
                if (requestRelease.request(environment, invocation.actor(), note) instanceof RequestRelease.Refused refused) {
                    chat.whisper(invocation.channelId(), invocation.actor().userId(), ":no_entry: " + refused.reason()
                            + refused.existing().map(ReleaseCommand::link).orElse(""));
                }
            } catch (ExternalFailure failure) {
                chat.whisper(invocation.channelId(), invocation.actor().userId(), ":x: No release was requested: "
                        + failure.service() + " said *" + failure.code() + "*: " + MessageViews.explain(failure)
                        + "\n>" + failure.detail());
            } catch (RuntimeException e) {
                LOG.error("requesting a release of {} failed", environment.name(), e);
                chat.whisper(invocation.channelId(), invocation.actor().userId(),
                        ":x: No release was requested: deploybot hit an internal error (logged).");
            }
        });
        return ":hourglass_flowing_sand: Looking up the image to release to *" + environment.name() + "*…";
    }

    private static String link(ReleaseRequest request) {
        return request.messageTs() == null ? ""
                : " <https://slack.com/app_redirect?channel=" + request.channel() + "&message_ts=" + request.messageTs() + "|See the request>";
    }
}
