package dev.deploybot.slack;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.inject.Singleton;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code /deploy} commands by verb and by how the door answered them. Verbs come from the command classes
 * themselves (plus {@code help} and {@code other}), so what a user types never becomes a series; all of them
 * exist from start-up, at zero. Made when the server starts rather than with the context: a context without a
 * server (a configuration check) need not build every command and the AWS clients behind them.
 */
@Singleton
class CommandMeter implements ApplicationEventListener<ServerStartupEvent> {
    static final String METER = "deploybot.commands";
    static final String HELP = "help";
    static final String OTHER = "other";

    /** How the door answered; what the work then did is told by the approval, promotion and deployment meters. */
    enum Outcome {
        /** Handed to the verb's handler, which answered (an acknowledgement, or its own refusal). */
        ANSWERED,
        /** Refused before any handler: unknown environment, wrong channel, too long, no valid user. */
        REFUSED,
        /** The handler's lane was full; nothing was started. */
        BUSY,
        /** An internal error before the ack. */
        FAILED;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Map<String, Map<Outcome, Counter>> counters = new HashMap<>();

    CommandMeter(MeterRegistry meters, List<EnvironmentCommand> commands, List<VerbCommand> verbs, List<OverviewCommand> overviews) {
        Stream.of(commands.stream().map(EnvironmentCommand::verb), verbs.stream().map(VerbCommand::verb),
                        overviews.stream().map(OverviewCommand::verb), Stream.of(HELP, OTHER))
                .flatMap(names -> names).distinct().forEach(verb -> {
                    Map<Outcome, Counter> byOutcome = new EnumMap<>(Outcome.class);
                    for (Outcome outcome : Outcome.values()) {
                        byOutcome.put(outcome, Counter.builder(METER).description("/deploy commands by verb and outcome")
                                .tags("verb", verb, "outcome", outcome.label()).register(meters));
                    }
                    counters.put(verb, byOutcome);
                });
    }

    /** Nothing to do: being told of the server's start is what makes this, and so every series, at start-up. */
    @Override
    public void onApplicationEvent(ServerStartupEvent event) {
    }

    void count(String verb, Outcome outcome) {
        counters.getOrDefault(verb, counters.get(OTHER)).get(outcome).increment();
    }
}
