package dev.deploybot.slack;

import com.slack.api.app_backend.slash_commands.payload.SlashCommandPayload;
import com.slack.api.bolt.App;
import dev.deploybot.core.Actor;
import dev.deploybot.core.AuditEntry;
import dev.deploybot.core.AuditTrail;
import dev.deploybot.core.Environment;
import dev.deploybot.core.Environments;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;

/** Routes {@code /deploy} to the command for the named environment; everything else gets usage. */
@Singleton
class DeployCommandRoutes implements SlackRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(DeployCommandRoutes.class);
    private final Environments environments;
    private final List<EnvironmentCommand> commands;
    private final AuditTrail audit;
    private final Clock clock;

    DeployCommandRoutes(Environments environments, List<EnvironmentCommand> commands, AuditTrail audit, Clock clock) {
        this.environments = environments;
        this.commands = commands;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public void register(App app) {
        app.command("/deploy", (request, context) -> context.ack(answer(request.getPayload())));
    }

    String answer(SlashCommandPayload payload) {
        // Slack sends no text at all for a bare "/deploy".
        String text = payload.getText() == null ? "" : payload.getText().strip();
        String[] words = text.split("\\s+", 2);
        String first = words[0].toLowerCase(Locale.ROOT);
        String rest = words.length > 1 ? words[1].strip() : "";
        if (first.isEmpty() || first.equals("help")) {
            return MessageViews.usage(environments);
        }
        Actor actor;
        try {
            actor = new Actor(payload.getUserId(), payload.getTeamId());
        } catch (IllegalArgumentException | NullPointerException e) {
            return "Slack sent a command without a valid user; nothing was done.";
        }
        Optional<Environment> environment = environments.find(first);
        if (environment.isEmpty()) {
            refuse(actor, first, "unknown environment");
            return MessageViews.unknownEnvironment(first, environments) + "\n\n" + MessageViews.usage(environments);
        }
        if (!environment.get().acceptsCommandsFrom(payload.getChannelId())) {
            refuse(actor, first, "channel " + payload.getChannelId() + " not allowed");
            return "Commands for `" + first + "` are not accepted in this channel.";
        }
        DeployInvocation invocation = new DeployInvocation(actor, payload.getChannelId(),
                DeployInvocation.keyFor(payload.getTriggerId() == null ? text + payload.getUserId() : payload.getTriggerId()));
        for (EnvironmentCommand command : commands) {
            if (command.handles(environment.get())) {
                try {
                    return command.handle(environment.get(), rest, invocation);
                } catch (RejectedExecutionException busy) {
                    LOG.warn("work queue full; refused /deploy {} from {}", first, actor.userId());
                    refuse(actor, first, "busy");
                    return "deploybot is busy right now; nothing was started. Try again in a minute.";
                }
            }
        }
        refuse(actor, first, "nothing configured");
        return "`" + first + "` has nothing deploybot can do with it yet (no build or release configured).";
    }

    private void refuse(Actor actor, String environment, String why) {
        audit.append(new AuditEntry(clock.instant(), actor.userId(), environment, "command", "refused", why));
    }
}
