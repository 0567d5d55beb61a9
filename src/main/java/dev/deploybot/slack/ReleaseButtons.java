package dev.deploybot.slack;

import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.bolt.App;
import dev.deploybot.core.Actor;
import dev.deploybot.pipeline.ShipRelease;
import dev.deploybot.core.Environments;
import dev.deploybot.release.DecideRelease;
import dev.deploybot.release.ReleaseJournal;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * Approve, Reject and Cancel on a release message. Slack is answered at once; the decision runs on
 * the work executor and whoever clicked hears privately why a click changed nothing.
 */
@Singleton
class ReleaseButtons implements SlackRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(ReleaseButtons.class);
    private static final Pattern REQUEST_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private final DecideRelease decide;
    private final ShipRelease ship;
    private final ReleaseJournal journal;
    private final Environments environments;
    private final RollbackCommand rollback;
    private final SlackChat chat;
    private final AfterAck after;

    ReleaseButtons(DecideRelease decide, ShipRelease ship, ReleaseJournal journal, Environments environments,
                   RollbackCommand rollback, SlackChat chat, AfterAck after) {
        this.decide = decide;
        this.ship = ship;
        this.journal = journal;
        this.environments = environments;
        this.rollback = rollback;
        this.chat = chat;
        this.after = after;
    }

    @Override
    public void register(App app) {
        route(app, ReleaseViews.APPROVE, decision(decide::approve));
        route(app, ReleaseViews.REJECT, decision(decide::reject));
        route(app, ReleaseViews.CANCEL, decision(decide::cancel));
        route(app, ReleaseViews.ROLL_BACK, this::rollBack);
    }

    /** What a click does once Slack has been answered. */
    private interface Click {
        void handle(String requestId, Actor actor, String channelId);
    }

    private Click decision(BiFunction<String, Actor, DecideRelease.Outcome> decision) {
        return (requestId, actor, channelId) -> after.click(AfterAck.Lane.RELEASES, new AfterAck.Requester(channelId, actor.userId()),
                "Your click may not have been handled; nothing is lost, a stuck release resumes by itself",
                () -> decideAndShip(decision, requestId, actor, channelId));
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

    private void decideAndShip(BiFunction<String, Actor, DecideRelease.Outcome> decision, String requestId, Actor actor,
                               String channelId) {
        DecideRelease.Outcome outcome = decision.apply(requestId, actor);
        if (outcome instanceof DecideRelease.Refused refused) {
            chat.whisper(channelId, actor.userId(), ":no_entry: " + refused.reason());
        } else if (outcome instanceof DecideRelease.Counted counted) {
            chat.whisper(channelId, actor.userId(), "Your approval is recorded: " + counted.approvals() + " of "
                    + counted.required() + ".");
        } else if (outcome instanceof DecideRelease.Approved approved) {
            ship.ship(approved.request().id());
        }
    }
}
