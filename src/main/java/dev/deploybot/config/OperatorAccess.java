package dev.deploybot.config;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;

import java.util.Optional;

/**
 * Who may read the operators' health details: whoever holds {@code DEPLOYBOT_OPERATOR_TOKEN}. Checked at start-up
 * with the rest of the configuration, so a token too short to be safe stops the bot instead of quietly closing
 * the route.
 */
@Context
public class OperatorAccess {
    /** Short enough to guess is short enough to refuse: the same floor as the events API key. */
    static final int MIN_TOKEN_LENGTH = 24;
    private final Optional<String> token;

    public OperatorAccess(@Value("${deploybot.operator-token:}") String token) {
        ConfigurationProblems problems = new ConfigurationProblems();
        if (!token.isEmpty() && token.length() < MIN_TOKEN_LENGTH) {
            problems.add("DEPLOYBOT_OPERATOR_TOKEN", "must be at least " + MIN_TOKEN_LENGTH
                    + " characters (e.g. openssl rand -hex 32), or unset to close GET /operator/health");
        }
        problems.throwIfAny();
        this.token = Optional.of(token).filter(given -> !given.isEmpty());
    }

    /** Empty when operators' details are closed. */
    public Optional<String> token() {
        return token;
    }
}
