package dev.deploybot.config;

import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.env.yaml.YamlPropertySourceLoader;
import io.micronaut.core.annotation.AnnotationMetadata;
import io.micronaut.core.annotation.AnnotationValue;
import io.micronaut.core.naming.NameUtils;
import io.micronaut.inject.BeanDefinition;
import io.micronaut.inject.BeanDefinitionReference;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every key under {@code deploybot.} the bot reads, found in the code that reads it rather than in a
 * list someone must remember to update: the typed configuration classes ({@code @ConfigurationProperties},
 * {@code @EachProperty}: their setters), every {@code @Value("${deploybot.…}")} and every annotation
 * member naming one (such as {@code @Scheduled}), plus the keys the bundled {@code application.yml}
 * defines. A name the operator chooses (an environment, a route) is a {@code *} segment.
 */
final class KnownKeys {
    static final String ROOT = "deploybot.";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(deploybot\\.[A-Za-z0-9.*-]+)(?::([^}]*))?}");
    private static final Pattern INDEX = Pattern.compile("\\[\\d+]");

    /** @param type what the value must convert to; {@link String} when anything goes */
    record Key(String pattern, Class<?> type) {
        boolean isMap() {
            return Map.class.isAssignableFrom(type);
        }
    }

    private final Map<String, Key> keys;

    private KnownKeys(Map<String, Key> keys) {
        this.keys = keys;
    }

    /** @param references the application's bean definitions, as the context found them (scanning the jar again costs a read of its directory) */
    static KnownKeys ofApplication(Collection<BeanDefinitionReference<?>> references) {
        Map<String, Key> keys = new TreeMap<>();
        for (BeanDefinitionReference<?> reference : references) {
            if (reference.getBeanDefinitionName().startsWith("dev.deploybot.") && reference.isPresent()) {
                read(reference.load(), keys);
            }
        }
        bundledDefaults().forEach(key -> keys.putIfAbsent(key, new Key(key, String.class)));
        return new KnownKeys(keys);
    }

    /** The key the operator wrote, normalised the way Micronaut reads it: kebab-case, list indexes dropped. */
    static String normalise(String written) {
        String withoutIndexes = INDEX.matcher(written).replaceAll("");
        List<String> segments = new ArrayList<>();
        for (String segment : withoutIndexes.split("\\.")) {
            segments.add(NameUtils.hyphenate(segment, true).toLowerCase(Locale.ROOT));
        }
        return String.join(".", segments);
    }

    /** The known key this written key is, or lies inside (a map the operator fills freely). */
    Optional<Key> find(String key) {
        String[] segments = key.split("\\.");
        for (Key known : keys.values()) {
            String[] pattern = known.pattern().split("\\.");
            if (pattern.length == segments.length && matches(pattern, segments)) {
                return Optional.of(known);
            }
            if (known.isMap() && pattern.length < segments.length && matches(pattern, segments)) {
                return Optional.of(known);
            }
        }
        return Optional.empty();
    }

    /** The known key closest to a mistyped one, spelled with the operator's own names, when one is close. */
    Optional<String> nearest(String key) {
        String[] segments = key.split("\\.");
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Key known : keys.values()) {
            String[] pattern = known.pattern().split("\\.");
            if (pattern.length != segments.length) {
                continue;
            }
            StringBuilder candidate = new StringBuilder();
            for (int i = 0; i < pattern.length; i++) {
                candidate.append(i == 0 ? "" : ".").append("*".equals(pattern[i]) ? segments[i] : pattern[i]);
            }
            int distance = distance(key, candidate.toString());
            if (distance < bestDistance) {
                bestDistance = distance;
                best = candidate.toString();
            }
        }
        // A suggestion further away than a third of the last word is a guess, not a correction.
        int tolerance = Math.max(2, segments[segments.length - 1].length() / 3);
        return bestDistance <= tolerance ? Optional.of(best) : Optional.empty();
    }

    private static boolean matches(String[] pattern, String[] segments) {
        for (int i = 0; i < pattern.length; i++) {
            if (!"*".equals(pattern[i]) && !pattern[i].equals(segments[i])) {
                return false;
            }
        }
        return true;
    }

    private static void read(BeanDefinition<?> definition, Map<String, Key> keys) {
        for (var argument : definition.getConstructor().getArguments()) {
            fromValue(argument.getAnnotationMetadata(), argument.getType(), keys);
            argument.getAnnotationMetadata().stringValue(Property.class, "name")
                    .ifPresent(name -> add(name, argument.getType(), keys));
        }
        for (var method : definition.getInjectedMethods()) {
            for (var argument : method.getArguments()) {
                fromValue(argument.getAnnotationMetadata(), argument.getType(), keys);
                method.getAnnotationMetadata().stringValue(Property.class, "name")
                        .ifPresent(name -> add(name, argument.getType(), keys));
            }
        }
        for (var field : definition.getInjectedFields()) {
            fromValue(field.getAnnotationMetadata(), field.getType(), keys);
        }
        for (var method : definition.getExecutableMethods()) {
            placeholdersIn(method.getAnnotationMetadata(), keys);
        }
    }

    private static void fromValue(AnnotationMetadata metadata, Class<?> type, Map<String, Key> keys) {
        metadata.stringValue(Value.class).ifPresent(value -> {
            Matcher placeholder = PLACEHOLDER.matcher(value);
            while (placeholder.find()) {
                add(placeholder.group(1), type, keys);
            }
        });
    }

    /** Keys named inside other annotations ({@code @Scheduled(fixedDelay = "${…:15s}")}): typed by their default. */
    private static void placeholdersIn(AnnotationMetadata metadata, Map<String, Key> keys) {
        for (String annotation : metadata.getAnnotationNames()) {
            metadata.getValues(annotation).values().forEach(member -> placeholdersIn(member, keys));
        }
    }

    /** Repeatable annotations ({@code @Scheduled} is one) keep their values nested inside their container's. */
    private static void placeholdersIn(Object member, Map<String, Key> keys) {
        if (member instanceof AnnotationValue<?> nested) {
            nested.getValues().values().forEach(value -> placeholdersIn(value, keys));
        } else if (member instanceof Object[] array) {
            for (Object each : array) {
                placeholdersIn(each, keys);
            }
        } else {
            Matcher placeholder = PLACEHOLDER.matcher(String.valueOf(member));
            while (placeholder.find()) {
                String fallback = placeholder.group(2);
                add(placeholder.group(1), fallback != null && isDuration(fallback) ? Duration.class : String.class, keys);
            }
        }
    }

    static boolean isDuration(String value) {
        return value.trim().matches("(?i)\\d+(ns|ms|s|m|h|d)|P(T?)[0-9.A-Z]+");
    }

    private static void add(String name, Class<?> type, Map<String, Key> keys) {
        if (name.startsWith(ROOT)) {
            keys.putIfAbsent(name, new Key(name, type));
        }
    }

    private static Collection<String> bundledDefaults() {
        try (InputStream in = KnownKeys.class.getClassLoader().getResourceAsStream("application.yml")) {
            if (in == null) {
                return List.of();
            }
            return new YamlPropertySourceLoader().read("application.yml", in).keySet().stream()
                    .filter(key -> key.startsWith(ROOT)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
