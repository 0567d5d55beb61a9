package dev.deploybot.slack;

import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.bolt.App;
import dev.deploybot.core.Actor;
import dev.deploybot.core.Environments;
import dev.deploybot.pipeline.ReleasePipeline;
import dev.deploybot.release.ReleaseJournal;
import dev.deploybot.release.ReleaseRequest.Verdict;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.regex.Pattern;

/**
 * Approve, Reject and Cancel on a release message. Slack is answered at once; the decision runs on
 * the work executor and whoever clicked hears privately why a click changed nothing.
 */
@Singleton
class ReleaseButtons implements SlackRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(ReleaseButtons.class);
    private static final Pattern REQUEST_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private final ReleasePipeline pipeline;
    private final ReleaseJournal journal;
    private final Environments environments;
    private final RollbackCommand rollback;
    private final SlackChat chat;
    private final AfterAck after;

    ReleaseButtons(ReleasePipeline pipeline, ReleaseJournal journal, Environments environments,
                   RollbackCommand rollback, SlackChat chat, AfterAck after) {
        this.pipeline = pipeline;
        this.journal = journal;
        this.environments = environments;
        this.rollback = rollback;
        this.chat = chat;
        this.after = after;
    }

    @Override
    public void register(App app) {
        route(app, ReleaseViews.APPROVE, decision(Verdict.APPROVE));
        route(app, ReleaseViews.REJECT, decision(Verdict.REJECT));
        route(app, ReleaseViews.CANCEL, decision(Verdict.CANCEL));
        route(app, ReleaseViews.ROLL_BACK, this::rollBack);
    }

    /** What a click does once Slack has been answered. */
    private interface Click {
        void handle(String requestId, Actor actor, String channelId);
    }

    private Click decision(Verdict verdict) {
        return (requestId, actor, channelId) -> after.click(AfterAck.Lane.RELEASES, new AfterAck.Requester(channelId, actor.userId()),
                "Your click may not have been handled; nothing is lost, a stuck release resumes by itself",
                () -> decide(verdict, requestId, actor, channelId));
    }

    /** The Roll back button of a finished release: the same request as {@code /deploy rollback <env>}. */
    private void rollBack(String requestId, Actor actor, String channelId) {
        journal.find(requestId)
                .flatMap(release -> environments.find(release.environment()))
                .ifPresentOrElse(environment -> after.click(AfterAck.Lane.RELEASES, new AfterAck.Requester(channelId, actor.userId()),
                                RollbackCommand.NOT_REQUESTED, rollback.work(environment, actor, 1, channelId)),
                        () -> after.whisper(new AfterAck.Requester(channelId, actor.userId()), "That release does not exist (any more)."));
    }

    private void route(App app, String actionId, Click click) {
        app.blockAction(actionId, (request, context) -> {
            BlockActionPayload payload = request.getPayload();
            String userId = payload.getUser() == null ? null : payload.getUser().getId();
            String channelId = payload.getChannel() != null ? payload.getChannel().getId()
                    : payload.getContainer() == null ? null : payload.getContainer().getChannelId();
            String requestId = payload.getActions() == null || payload.getActions().isEmpty() ? null
                    : payload.getActions().get(0).getValue();
            if (userId == null || channelId == null || requestId == null || !REQUEST_ID.matcher(requestId).matches()) {
                LOG.warn("ignored a malformed {} click", actionId);
                return context.ack();
            }
            Actor actor;
            try {
                actor = new Actor(userId, payload.getTeam() == null ? null : payload.getTeam().getId());
            } catch (IllegalArgumentException e) {
                LOG.warn("ignored a {} click from an invalid user id", actionId);
                return context.ack();
            }
            click.handle(requestId, actor, channelId);
            return context.ack();
        });
    }

    private void decide(Verdict verdict, String requestId, Actor actor, String channelId) {
        ReleasePipeline.Outcome outcome = pipeline.decide(requestId, actor, verdict);
        if (outcome instanceof ReleasePipeline.Refused refused) {
            chat.whisper(channelId, actor.userId(), ":no_entry: " + RefusalViews.text(refused.refusal()));
        } else if (outcome instanceof ReleasePipeline.Counted counted) {
            chat.whisper(channelId, actor.userId(), "Your approval is recorded: " + counted.approvals() + " of "
                    + counted.required() + ".");
        }
    }
}
