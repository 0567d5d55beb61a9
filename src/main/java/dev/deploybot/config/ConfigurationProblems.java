package dev.deploybot.config;

import java.util.ArrayList;
import java.util.List;

/** Collects every problem in the configuration so the operator can fix them all in one go. */
final class ConfigurationProblems {
    private final List<String> problems = new ArrayList<>();

    void add(String key, String problem) {
        problems.add(key + ": " + problem);
    }

    int count() {
        return problems.size();
    }

    void throwIfAny() {
        if (!problems.isEmpty()) {
            throw new InvalidConfiguration(problems);
        }
    }
}
