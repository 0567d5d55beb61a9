package dev.deploybot.slack;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /deploy} commands by verb and by how the door answered them. The verbs are a fixed list, so what a user
 * types never becomes a series, and every series exists from start-up, at zero. The list is not read from the
 * command beans: building those at start would build their AWS clients with them. A verb missing here counts as
 * {@code other}.
 */
@Context
class CommandMeter {
    static final String METER = "deploybot.commands";
    static final String HELP = "help";
    static final String OTHER = "other";
    static final List<String> VERBS = List.of("build", "release", "rollback", "lock", "unlock", "status", "history", HELP, OTHER);

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

    CommandMeter(MeterRegistry meters) {
        for (String verb : VERBS) {
            Map<Outcome, Counter> byOutcome = new EnumMap<>(Outcome.class);
            for (Outcome outcome : Outcome.values()) {
                byOutcome.put(outcome, Counter.builder(METER).description("/deploy commands by verb and outcome")
                        .tags("verb", verb, "outcome", outcome.label()).register(meters));
            }
            counters.put(verb, byOutcome);
        }
    }

    void count(String verb, Outcome outcome) {
        counters.getOrDefault(verb, counters.get(OTHER)).get(outcome).increment();
    }
}
