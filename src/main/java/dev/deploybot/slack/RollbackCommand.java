package dev.deploybot.slack;

import dev.deploybot.core.Actor;
import dev.deploybot.core.Environment;
import dev.deploybot.core.ExternalFailure;
import dev.deploybot.pipeline.ShipRelease;
import dev.deploybot.release.DecideRelease;
import dev.deploybot.release.RequestRollback;
import jakarta.inject.Singleton;

/** {@code /deploy rollback prd [generations]}, and the Roll back button, which starts the same request. */
@Singleton
class RollbackCommand implements VerbCommand {
    private final RequestRollback requestRollback;
    private final ShipRelease ship;
    private final SlackChat chat;
    private final AfterAck after;

    RollbackCommand(RequestRollback requestRollback, ShipRelease ship, SlackChat chat,
                    AfterAck after) {
        this.requestRollback = requestRollback;
        this.ship = ship;
        this.chat = chat;
        this.after = after;
    }

    @Override
    public String verb() {
        return "rollback";
    }

    @Override
    public String handle(Environment environment, String arguments, DeployInvocation invocation) {
        if (environment.release().isEmpty()) {
            return "`" + environment.name() + "` has no release gate, so there is nothing to roll back.";
        }
        int generations;
        try {
            generations = arguments.isEmpty() ? 1 : Integer.parseInt(arguments.strip());
        } catch (NumberFormatException e) {
            return ":no_entry: `/deploy rollback " + environment.name() + " [generations]`: generations is a number, like 1 or 2.";
        }
        return after.command(AfterAck.Lane.RELEASES, invocation.requester(),
                ":rewind: Preparing a rollback of *" + environment.name() + "* by " + generations + " generation(s)…",
                NOT_REQUESTED, work(environment, invocation.actor(), generations, invocation.channelId()));
    }

    static final String NOT_REQUESTED = "No rollback was requested";

    /** Requests the rollback (after Slack has been answered); ships it when it is approved at once. */
    Runnable work(Environment environment, Actor actor, int generations, String replyChannel) {
        return () -> {
            try {
                RequestRollback.Outcome outcome = requestRollback.request(environment, actor, generations);
                if (outcome instanceof RequestRollback.Refused refused) {
                    chat.whisper(replyChannel, actor.userId(), ":no_entry: " + refused.reason());
                } else if (outcome instanceof RequestRollback.Requested requested && requested.decision().isPresent()) {
                    DecideRelease.Outcome decision = requested.decision().get();
                    if (decision instanceof DecideRelease.Approved approved) {
                        ship.ship(approved.request().id());
                    } else if (decision instanceof DecideRelease.Refused refused) {
                        chat.whisper(replyChannel, actor.userId(), ":no_entry: The rollback waits for approval: " + refused.reason());
                    }
                }
            } catch (ExternalFailure failure) {
                chat.whisper(replyChannel, actor.userId(), ":x: No rollback was requested: " + failure.service() + " said *"
                        + failure.code() + "*: " + MessageViews.explain(failure) + "\n>" + failure.detail());
            }
        };
    }
}
