package dev.deploybot.slack;

import dev.deploybot.config.WorkExecutor;
import dev.deploybot.core.Actor;
import dev.deploybot.core.Environment;
import dev.deploybot.core.ExternalFailure;
import dev.deploybot.pipeline.ReleasePipeline;
import dev.deploybot.release.ReleaseRequest;
import dev.deploybot.release.RequestRollback;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutorService;

/** {@code /deploy rollback prd [generations]}, and the Roll back button, which starts the same request. */
@Singleton
class RollbackCommand implements VerbCommand {
    private static final Logger LOG = LoggerFactory.getLogger(RollbackCommand.class);
    private final RequestRollback requestRollback;
    private final ReleasePipeline pipeline;
    private final SlackChat chat;
    private final ExecutorService work;

    RollbackCommand(RequestRollback requestRollback, ReleasePipeline pipeline, SlackChat chat,
                    @Named(WorkExecutor.NAME) ExecutorService work) {
        this.requestRollback = requestRollback;
        this.pipeline = pipeline;
        this.chat = chat;
        this.work = work;
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
        start(environment, invocation.actor(), generations, invocation.channelId());
        return ":rewind: Preparing a rollback of *" + environment.name() + "* by " + generations + " generation(s)…";
    }

    /** Requests the rollback after Slack has been answered; when the requester's own approval decides it, decides it. */
    void start(Environment environment, Actor actor, int generations, String replyChannel) {
        work.execute(() -> {
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
            } catch (RuntimeException e) {
                LOG.error("requesting a rollback of {} failed", environment.name(), e);
                chat.whisper(replyChannel, actor.userId(), ":x: No rollback was requested: deploybot hit an internal error (logged).");
            }
        });
    }
}
