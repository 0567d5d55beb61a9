package dev.deploybot.slack;

import dev.deploybot.core.Environment;
import dev.deploybot.core.ExternalFailure;
import dev.deploybot.release.ReleaseRequest;
import dev.deploybot.release.RequestRelease;
import jakarta.inject.Singleton;

/** {@code /deploy prd [note]}: ask for an approved release of the image the source tag names now. */
@Singleton
class ReleaseCommand implements EnvironmentCommand {
    static final int MAX_NOTE = 300;
    private final RequestRelease requestRelease;
    private final SlackChat chat;
    private final AfterAck after;

    ReleaseCommand(RequestRelease requestRelease, SlackChat chat, AfterAck after) {
        this.requestRelease = requestRelease;
        this.chat = chat;
        this.after = after;
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
        return after.command(AfterAck.Lane.RELEASES, invocation.requester(),
                ":hourglass_flowing_sand: Looking up the image to release to *" + environment.name() + "*…",
                "No release was requested", () -> {
            try {
                RequestRelease.Outcome outcome = requestRelease.request(environment, invocation.actor(), note);
                if (outcome instanceof RequestRelease.Refused refused) {
                    chat.whisper(invocation.channelId(), invocation.actor().userId(), ":no_entry: " + refused.reason()
                            + refused.existing().map(ReleaseCommand::link).orElse(""));
                } else if (outcome instanceof RequestRelease.Unproven unproven) {
                    chat.whisper(invocation.channelId(), invocation.actor().userId(),
                            ProofViews.refusal(unproven.candidateDigest(), unproven.verdict()));
                }
            } catch (ExternalFailure failure) {
                chat.whisper(invocation.channelId(), invocation.actor().userId(), ":x: No release was requested: "
                        + failure.service() + " said *" + failure.code() + "*: " + MessageViews.explain(failure)
                        + "\n>" + failure.detail());
            }
        });
    }

    private static String link(ReleaseRequest request) {
        return request.messageTs() == null ? ""
                : " <https://slack.com/app_redirect?channel=" + request.channel() + "&message_ts=" + request.messageTs() + "|See the request>";
    }
}
