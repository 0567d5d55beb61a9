package dev.deploybot.slack;

import dev.deploybot.core.Actor;
import dev.deploybot.core.Environment;
import dev.deploybot.core.ExternalFailure;
import dev.deploybot.pipeline.ReleasePipeline;
import dev.deploybot.release.ReleaseRequest;
import dev.deploybot.release.RequestRollback;
import jakarta.inject.Singleton;

/** {@code /deploy rollback prd [generations]}, and the Roll back button, which starts the same request. */
@Singleton
class RollbackCommand implements VerbCommand {
    private final RequestRollback requestRollback;
    private final ReleasePipeline pipeline;
    private final SlackChat chat;
    private final AfterAck after;

    RollbackCommand(RequestRollback requestRollback, ReleasePipeline pipeline, SlackChat chat,
                    AfterAck after) {
        this.requestRollback = requestRollback;
        this.pipeline = pipeline;
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

    /** Requests the rollback (after Slack has been answered); decides it when the requester's own approval is enough. */
    Runnable work(Environment environment, Actor actor, int generations, String replyChannel) {
        return () -> {
            try {
                RequestRollback.Outcome outcome = requestRollback.request(environment, actor, generations);
                if (outcome instanceof RequestRollback.Refused refused) {
                    chat.whisper(replyChannel, actor.userId(), ":no_entry: " + RefusalViews.text(refused.refusal()));
                } else if (outcome instanceof RequestRollback.Requested requested && requested.approvesItself()
                        && pipeline.decide(requested.request().id(), actor, ReleaseRequest.Verdict.APPROVE)
                        instanceof ReleasePipeline.Refused refused) {
                    chat.whisper(replyChannel, actor.userId(), ":no_entry: The rollback waits for approval: "
                            + RefusalViews.text(refused.refusal()));
                }
            } catch (ExternalFailure failure) {
                chat.whisper(replyChannel, actor.userId(), ":x: No rollback was requested: " + failure.service() + " said *"
                        + failure.code() + "*: " + MessageViews.explain(failure) + "\n>" + failure.detail());
            }
        };
    }
}
