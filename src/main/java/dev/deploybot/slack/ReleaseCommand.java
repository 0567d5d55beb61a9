package dev.deploybot.slack;

import dev.deploybot.core.Environment;
import dev.deploybot.core.ExternalFailure;
import dev.deploybot.activity.Outbox;
import dev.deploybot.activity.ReleaseThreads;
import dev.deploybot.release.Refusal;
import dev.deploybot.release.RequestRelease;
import jakarta.inject.Singleton;

/** {@code /deploy prd [note]}: ask for an approved release of the image the source tag names now. */
@Singleton
class ReleaseCommand implements EnvironmentCommand {
    private final RequestRelease requestRelease;
    private final SlackChat chat;
    private final AfterAck after;
    private final Outbox outbox;

    ReleaseCommand(RequestRelease requestRelease, SlackChat chat, AfterAck after, Outbox outbox) {
        this.requestRelease = requestRelease;
        this.outbox = outbox;
        this.chat = chat;
        this.after = after;
    }

    @Override
    public String verb() {
        return "release";
    }

    @Override
    public boolean handles(Environment environment) {
        return environment.release().isPresent();
    }

    @Override
    public String handle(Environment environment, String arguments, DeployInvocation invocation) {
        String note = arguments.chars().anyMatch(Character::isISOControl) ? arguments.replaceAll("\\p{Cntrl}", " ") : arguments;
        return after.command(AfterAck.Lane.RELEASES, invocation.requester(),
                ":hourglass_flowing_sand: Looking up the image to release to *" + environment.name() + "*…",
                "No release was requested", () -> {
            try {
                if (requestRelease.request(environment, invocation.actor(), note) instanceof RequestRelease.Refused refused) {
                    chat.whisper(invocation.channelId(), invocation.actor().userId(), ":no_entry: "
                            + RefusalViews.text(refused.refusal()) + link(environment.channel(), refused.refusal()));
                }
            } catch (ExternalFailure failure) {
                chat.whisper(invocation.channelId(), invocation.actor().userId(), ":x: No release was requested: "
                        + failure.service() + " said *" + failure.code() + "*: " + MessageViews.explain(failure)
                        + "\n>" + failure.detail());
            }
        });
    }

    /** A link to the request that stands in the way, once its message is posted. */
    private String link(String channel, Refusal refusal) {
        if (!(refusal instanceof Refusal.AlreadyPending pending) || pending.existing() == null) {
            return "";
        }
        String key = ReleaseThreads.messageKey(pending.existing());
        return outbox.messageTs(key)
                .map(ts -> " <https://slack.com/app_redirect?channel=" + channel + "&message_ts=" + ts + "|See the request>")
                .orElse("");
    }
}
