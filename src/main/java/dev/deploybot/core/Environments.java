package dev.deploybot.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The configured environments, by name, in a stable order for listing to people. */
public final class Environments {
    private final Map<String, Environment> byName = new LinkedHashMap<>();

    public Environments(Collection<Environment> environments) {
        environments.stream()
                .sorted((a, b) -> a.name().compareTo(b.name()))
                .forEach(environment -> byName.put(environment.name(), environment));
    }

    public Optional<Environment> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public List<String> names() {
        return new ArrayList<>(byName.keySet());
    }

    public Collection<Environment> all() {
        return byName.values();
    }
}
