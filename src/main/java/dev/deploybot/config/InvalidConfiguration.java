package dev.deploybot.config;

import io.micronaut.context.exceptions.ConfigurationException;

import java.util.List;

/**
 * The operator's configuration cannot run: every problem found, each as "key: what is wrong". Start-up
 * turns it into one report on one screen (see {@code Application}), never into a stack trace.
 */
public final class InvalidConfiguration extends ConfigurationException {
    private final List<String> problems;

    public InvalidConfiguration(List<String> problems) {
        super("deploybot cannot start, the configuration has " + problems.size() + " problem(s):\n  - "
                + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }

    /** The report an operator reads: what is wrong, then where to fix it. */
    public String report() {
        if (problems.size() == 1) {
            return "deploybot cannot start: " + problems.get(0);
        }
        return getMessage() + "\nFix them in the file named by MICRONAUT_CONFIG_FILES (or the environment variables named) and start again.";
    }
}
