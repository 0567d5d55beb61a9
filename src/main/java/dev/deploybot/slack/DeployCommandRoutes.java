package dev.deploybot.slack;

import com.slack.api.app_backend.slash_commands.payload.SlashCommandPayload;
import com.slack.api.bolt.App;
import dev.deploybot.core.Actor;
import dev.deploybot.core.AuditEntry;
import dev.deploybot.core.AuditTrail;
import dev.deploybot.core.Environment;
import dev.deploybot.core.Environments;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Routes {@code /deploy} to the command for the named environment; everything else gets usage. Lengths are
 * checked here, once, before anything reaches the store or AWS: too long is refused privately and audited
 * with the value cut to size.
 */
@Singleton
class DeployCommandRoutes implements SlackRoutes {
    /** Slack's own channel ids; the store keeps at most 32 characters of one. */
    private static final Pattern CHANNEL_ID = Pattern.compile("[CDG][A-Z0-9]{2,30}");
    /** The longest note, lock reason or ref any command takes (a ref: 200, see GitRef). */
    static final int MAX_ARGUMENTS = 300;
    private final Environments environments;
    private final List<EnvironmentCommand> commands;
    private final List<VerbCommand> verbs;
    private final List<OverviewCommand> overviews;
    private final AuditTrail audit;
    private final Clock clock;
    private final AfterAck after;
    private final CommandMeter meter;

    DeployCommandRoutes(Environments environments, List<EnvironmentCommand> commands, List<VerbCommand> verbs,
                        List<OverviewCommand> overviews, AuditTrail audit, Clock clock, AfterAck after, CommandMeter meter) {
        this.environments = environments;
        this.commands = commands;
        this.verbs = verbs;
        this.overviews = overviews;
        this.audit = audit;
        this.clock = clock;
        this.after = after;
        this.meter = meter;
    }

    @Override
    public void register(App app) {
        app.command("/deploy", (request, context) -> context.ack(after.answer("/deploy", () -> counted(request.getPayload()))));
    }

    /** What the requester sees, and how the command is counted. */
    private record Reply(String verb, CommandMeter.Outcome outcome, String text) {
        static Reply refused(String verb, String text) {
            return new Reply(verb, CommandMeter.Outcome.REFUSED, text);
        }
    }

    private String counted(SlashCommandPayload payload) {
        Reply reply;
        try {
            reply = answer(payload);
        } catch (RuntimeException e) {
            meter.count(CommandMeter.OTHER, CommandMeter.Outcome.FAILED);
            throw e;
        }
        meter.count(reply.verb(), reply.outcome());
        return reply.text();
    }

    /** {@code [verb] environment [arguments]}, as typed after {@code /deploy}. */
    private record Parsed(Optional<VerbCommand> verb, String environment, String arguments) {
    }

    private Parsed parse(String text) {
        String[] words = text.split("\\s+", 2);
        String first = words[0].toLowerCase(Locale.ROOT);
        String rest = words.length > 1 ? words[1].strip() : "";
        Optional<VerbCommand> verb = verbs.stream().filter(candidate -> candidate.verb().equals(first)).findFirst();
        if (verb.isEmpty()) {
            return new Parsed(verb, first, rest);
        }
        String[] target = rest.split("\\s+", 2);
        return new Parsed(verb, target[0].toLowerCase(Locale.ROOT), target.length > 1 ? target[1].strip() : "");
    }

    private Reply answer(SlashCommandPayload payload) {
        // Slack sends no text at all for a bare "/deploy".
        String text = payload.getText() == null ? "" : payload.getText().strip();
        if (text.isEmpty() || text.equalsIgnoreCase("help")) {
            return new Reply(CommandMeter.HELP, CommandMeter.Outcome.ANSWERED, MessageViews.usage(environments));
        }
        Actor actor;
        try {
            actor = new Actor(payload.getUserId(), payload.getTeamId());
        } catch (IllegalArgumentException | NullPointerException e) {
            return Reply.refused(CommandMeter.OTHER, "Slack sent a command without a valid user; nothing was done.");
        }
        if (payload.getChannelId() == null || !CHANNEL_ID.matcher(payload.getChannelId()).matches()) {
            refuse(actor, null, "not a Slack channel id: " + payload.getChannelId());
            return Reply.refused(CommandMeter.OTHER, "Slack sent a command without a valid channel; nothing was done.");
        }
        Optional<Reply> overview = overview(text, actor, payload);
        if (overview.isPresent()) {
            return overview.get();
        }
        Parsed command = parse(text);
        String verb = command.verb().map(VerbCommand::verb).orElse(CommandMeter.OTHER);
        if (command.environment().isEmpty()) {
            return Reply.refused(verb, "Which environment? `/deploy " + command.verb().map(VerbCommand::verb).orElse("")
                    + " <environment>`.\n\n" + MessageViews.usage(environments));
        }
        if (command.environment().length() > AuditEntry.MAX_ENVIRONMENT) {
            refuse(actor, command.environment(), "environment name longer than " + AuditEntry.MAX_ENVIRONMENT + " characters");
            return Reply.refused(verb, ":no_entry: An environment name has at most " + AuditEntry.MAX_ENVIRONMENT
                    + " characters; nothing was done.");
        }
        if (command.arguments().length() > MAX_ARGUMENTS) {
            refuse(actor, command.environment(), "arguments longer than " + MAX_ARGUMENTS + " characters: " + command.arguments());
            return Reply.refused(verb, ":no_entry: What follows `" + MessageViews.escape(command.environment()) + "` has at most "
                    + MAX_ARGUMENTS + " characters; nothing was done.");
        }
        Optional<Environment> environment = environments.find(command.environment());
        if (environment.isEmpty()) {
            refuse(actor, command.environment(), "unknown environment");
            return Reply.refused(verb, MessageViews.unknownEnvironment(command.environment(), environments) + "\n\n"
                    + MessageViews.usage(environments));
        }
        if (!environment.get().acceptsCommandsFrom(payload.getChannelId())) {
            refuse(actor, command.environment(), "channel " + payload.getChannelId() + " not allowed");
            return Reply.refused(verb, "Commands for `" + command.environment() + "` are not accepted in this channel.");
        }
        DeployInvocation invocation = new DeployInvocation(actor, payload.getChannelId(),
                DeployInvocation.keyFor(payload.getTriggerId() == null ? text + payload.getUserId() : payload.getTriggerId()));
        Optional<Reply> answer = command.verb().map(handler -> handled(verb, handler.handle(environment.get(), command.arguments(), invocation)))
                .or(() -> commands.stream().filter(handler -> handler.handles(environment.get())).findFirst()
                        .map(handler -> handled(handler.verb(), handler.handle(environment.get(), command.arguments(), invocation))));
        if (answer.isPresent()) {
            if (answer.get().outcome() == CommandMeter.Outcome.BUSY) {
                refuse(actor, command.environment(), "busy");
            }
            return answer.get();
        }
        refuse(actor, command.environment(), "nothing configured");
        return Reply.refused(verb, "`" + command.environment() + "` has nothing deploybot can do with it yet (no build or release configured).");
    }

    private static Reply handled(String verb, String text) {
        return new Reply(verb, text.equals(AfterAck.BUSY) ? CommandMeter.Outcome.BUSY : CommandMeter.Outcome.ANSWERED, text);
    }

    /** {@code /deploy status|history [environment] [arguments]}: the environment is optional for these. */
    private Optional<Reply> overview(String text, Actor actor, SlashCommandPayload payload) {
        String[] words = text.split("\\s+", 3);
        Optional<OverviewCommand> verb = overviews.stream()
                .filter(candidate -> candidate.verb().equals(words[0].toLowerCase(Locale.ROOT))).findFirst();
        if (verb.isEmpty()) {
            return Optional.empty();
        }
        Optional<Environment> environment = words.length > 1 ? environments.find(words[1].toLowerCase(Locale.ROOT)) : Optional.empty();
        String arguments = String.join(" ", java.util.Arrays.asList(words).subList(environment.isPresent() ? 2 : 1, words.length));
        if (environment.isPresent() && !environment.get().acceptsCommandsFrom(payload.getChannelId())) {
            refuse(actor, environment.get().name(), "channel " + payload.getChannelId() + " not allowed");
            return Optional.of(Reply.refused(verb.get().verb(), "Commands for `" + environment.get().name()
                    + "` are not accepted in this channel."));
        }
        DeployInvocation invocation = new DeployInvocation(actor, payload.getChannelId(),
                DeployInvocation.keyFor(payload.getTriggerId() == null ? text + payload.getUserId() : payload.getTriggerId()));
        return Optional.of(handled(verb.get().verb(), verb.get().handle(environment, arguments.strip(), invocation)));
    }

    private void refuse(Actor actor, String environment, String why) {
        audit.append(new AuditEntry(clock.instant(), actor.userId(), environment, "command", "refused", why));
    }
}
