package dev.deploybot.config;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.env.Environment;
import io.micronaut.context.env.EnvironmentPropertySource;
import io.micronaut.context.env.PropertySource;
import io.micronaut.core.annotation.Order;
import io.micronaut.core.order.Ordered;
import io.micronaut.inject.BeanDefinition;
import io.micronaut.inject.qualifiers.Qualifiers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The first thing built at start-up, before the database or anything else with an effect: reads every
 * {@code deploybot.} key the operator wrote, refuses unknown ones (suggesting the nearest known key) and
 * values of the wrong type, then builds every validated configuration value of this package, so that one
 * {@link InvalidConfiguration} lists every problem at once.
 */
@Context
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ConfigurationGate {

    public ConfigurationGate(ApplicationContext context) {
        Environment environment = context.getEnvironment();
        List<String> problems = new ArrayList<>();
        Map<String, Object> standIns = new HashMap<>();
        KnownKeys known = KnownKeys.ofApplication(context.getBeanDefinitionReferences());
        for (Map.Entry<String, Object> written : writtenKeys(environment).entrySet()) {
            String key = written.getKey();
            Optional<KnownKeys.Key> match = known.find(KnownKeys.normalise(key));
            if (match.isEmpty()) {
                problems.add(key + ": unknown key" + known.nearest(KnownKeys.normalise(key))
                        .map(nearest -> "; did you mean " + nearest + "?").orElse(" (see README, Configuration)"));
                continue;
            }
            typeProblem(environment, written.getValue(), match.get().type()).ifPresent(expected -> {
                problems.add(key + ": '" + written.getValue() + "' " + expected);
                standIns.put(key, standIn(match.get().type()));
            });
        }
        if (!standIns.isEmpty()) {
            // Only so the checks below still see the rest of the file; start-up stops anyway.
            environment.addPropertySource(PropertySource.of("deploybot-stand-ins", standIns, Integer.MAX_VALUE));
        }
        problems.addAll(validatedValues(context, !problems.isEmpty()));
        if (!problems.isEmpty()) {
            throw new InvalidConfiguration(problems);
        }
    }

    /** Every {@code deploybot.} key in the files, system properties and start-up properties; not environment variables, which the environment shares with everything else. */
    private static Map<String, Object> writtenKeys(Environment environment) {
        Map<String, Object> written = new java.util.TreeMap<>();
        for (PropertySource source : environment.getPropertySources()) {
            if (EnvironmentPropertySource.NAME.equals(source.getName())) {
                continue;
            }
            for (String key : source) {
                if (key.startsWith(KnownKeys.ROOT) && !written.containsKey(key)) {
                    written.put(key, source.get(key));
                }
            }
        }
        return written;
    }

    private static Optional<String> typeProblem(Environment environment, Object value, Class<?> type) {
        String text = String.valueOf(value).trim();
        if (value == null || text.startsWith("${")) {
            return Optional.empty();
        }
        if (type == Duration.class) {
            return KnownKeys.isDuration(text) ? Optional.empty()
                    : Optional.of("is not a duration; write it like 30s, 5m, 2h or 7d");
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return text.matches("-?\\d{1,18}") ? Optional.empty() : Optional.of("is not a whole number");
        }
        if (type == boolean.class || type == Boolean.class) {
            return text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false") ? Optional.empty()
                    : Optional.of("must be true or false");
        }
        if (type.isEnum()) {
            return environment.convert(text.toUpperCase(Locale.ROOT), type).isPresent() ? Optional.empty()
                    : Optional.of("must be one of " + List.of(type.getEnumConstants()).toString().toLowerCase(Locale.ROOT));
        }
        return Optional.empty();
    }

    private static Object standIn(Class<?> type) {
        if (type == Duration.class) {
            return "1h";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "false";
        }
        if (type.isEnum()) {
            return type.getEnumConstants()[0].toString();
        }
        return "1";
    }

    /** Builds this package's other start-up values (environments, events, Slack settings), keeping each one's problems. */
    private static List<String> validatedValues(ApplicationContext context, boolean alreadyRefused) {
        Set<String> problems = new LinkedHashSet<>();
        RuntimeException unexpected = null;
        for (BeanDefinition<?> definition : context.getBeanDefinitions(Qualifiers.byStereotype(Context.class))) {
            String definedBy = definition.getClass().getName();
            if (!definedBy.startsWith(ConfigurationGate.class.getPackageName() + ".")
                    || definition.getBeanType() == ConfigurationGate.class) {
                continue;
            }
            try {
                context.getBean(definition);
            } catch (RuntimeException e) {
                Optional<InvalidConfiguration> invalid = invalidConfiguration(e);
                if (invalid.isPresent()) {
                    problems.addAll(invalid.get().problems());
                } else if (unexpected == null) {
                    unexpected = e;
                }
            }
        }
        // A failure that is not one of ours is most likely a consequence of a problem already listed.
        if (unexpected != null && problems.isEmpty() && !alreadyRefused) {
            throw unexpected;
        }
        return new ArrayList<>(problems);
    }

    static Optional<InvalidConfiguration> invalidConfiguration(Throwable thrown) {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidConfiguration invalid) {
                return Optional.of(invalid);
            }
        }
        return Optional.empty();
    }
}
