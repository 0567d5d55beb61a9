package dev.deploybot.config;

import dev.deploybot.core.Progress;
import dev.deploybot.activity.Route;
import dev.deploybot.activity.Routing;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns {@code deploybot.events.*} into validated settings and routes, refusing to start on any mistake and
 * naming each wrong key.
 */
@Factory
public class EventConfiguration {
    private static final Pattern CHANNEL = Pattern.compile("[CG][A-Z0-9]{2,20}");
    private static final Pattern PROJECT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{1,254}");
    private static final Pattern APPLICATION = Pattern.compile("[A-Za-z0-9_.+@=,-]{1,100}");
    private static final Pattern ECS_SERVICE = Pattern.compile("[A-Za-z0-9_-]{1,255}/[A-Za-z0-9_-]{1,255}");
    /** An operator chooses the key; anything shorter is guessable. */
    static final int MIN_API_KEY_LENGTH = 24;

    @Context
    EventSettings eventSettings(
            @Nullable @Value("${deploybot.events.sqs.queue-url:}") String queueUrl,
            @Value("${deploybot.events.sqs.wait-time:20s}") Duration queueWait,
            @Value("${deploybot.events.sqs.batch-size:10}") int batchSize,
            @Value("${deploybot.events.sqs.threads:8}") int threads,
            @Value("${deploybot.events.sqs.visibility-timeout:60s}") Duration visibilityTimeout,
            @Value("${deploybot.events.sqs.retry-delay:30s}") Duration queueRetryDelay,
            @Nullable @Value("${deploybot.events.http.api-key:}") String apiKey,
            @Value("${deploybot.events.http.api-key-header:x-deploybot-api-key}") String apiKeyHeader,
            @Value("${deploybot.events.http.max-body-size:262144}") int maxBodyBytes,
            @Value("${deploybot.events.delivery.interval:2s}") Duration deliveryInterval,
            @Value("${deploybot.events.reconcile.interval:2m}") Duration reconcileInterval,
            @Value("${deploybot.events.retention:7d}") Duration retention,
            @Value("${deploybot.events.max-attempts:5}") int maxAttempts,
            @Value("${deploybot.events.http.retry-delay:30s}") Duration httpRetryDelay) {
        ConfigurationProblems problems = new ConfigurationProblems();
        Optional<String> queue = Optional.ofNullable(queueUrl).filter(url -> !url.isBlank());
        queue.ifPresent(url -> {
            try {
                URI uri = URI.create(url);
                if (uri.getScheme() == null || !uri.getScheme().startsWith("http") || uri.getPath().length() < 2) {
                    problems.add("deploybot.events.sqs.queue-url", "must be the queue's URL, like https://sqs.eu-west-1.amazonaws.com/123456789012/deploybot-events");
                }
            } catch (IllegalArgumentException e) {
                problems.add("deploybot.events.sqs.queue-url", "is not a URL");
            }
        });
        if (queueWait.isNegative() || queueWait.compareTo(Duration.ofSeconds(20)) > 0) {
            problems.add("deploybot.events.sqs.wait-time", "must be between 0s and 20s (SQS's long-poll limit)");
        }
        if (batchSize < 1 || batchSize > 10) {
            problems.add("deploybot.events.sqs.batch-size", "must be between 1 and 10 (SQS's limit)");
        }
        if (threads < 1 || threads > 64) {
            problems.add("deploybot.events.sqs.threads", "must be between 1 and 64");
        }
        if (visibilityTimeout.compareTo(Duration.ofSeconds(2)) < 0 || visibilityTimeout.compareTo(Duration.ofHours(12)) > 0) {
            problems.add("deploybot.events.sqs.visibility-timeout", "must be between 2s and 12h");
        }
        if (queueRetryDelay.isNegative() || queueRetryDelay.compareTo(Duration.ofHours(12)) > 0) {
            problems.add("deploybot.events.sqs.retry-delay", "must be between 0s and 12h");
        }
        Optional<String> key = Optional.ofNullable(apiKey).filter(k -> !k.isEmpty());
        if (key.isPresent() && key.get().length() < MIN_API_KEY_LENGTH) {
            problems.add("DEPLOYBOT_EVENTS_API_KEY", "must be at least " + MIN_API_KEY_LENGTH
                    + " characters (e.g. openssl rand -hex 32), or unset to turn POST /events/aws off");
        }
        if (!apiKeyHeader.matches("[A-Za-z0-9-]{1,64}") || apiKeyHeader.equalsIgnoreCase("authorization")) {
            problems.add("deploybot.events.http.api-key-header", "must be a header name other than Authorization");
        }
        if (maxBodyBytes < 1024 || maxBodyBytes > 1024 * 1024) {
            problems.add("deploybot.events.http.max-body-size", "must be between 1024 and 1048576 bytes");
        }
        positive(problems, "deploybot.events.delivery.interval", deliveryInterval);
        positive(problems, "deploybot.events.reconcile.interval", reconcileInterval);
        if (retention.compareTo(Duration.ofDays(1)) < 0) {
            problems.add("deploybot.events.retention", "must be at least 1d: EventBridge retries deliveries for up to 24 hours");
        }
        if (maxAttempts < 1 || maxAttempts > 100) {
            problems.add("deploybot.events.max-attempts", "must be between 1 and 100");
        }
        positive(problems, "deploybot.events.http.retry-delay", httpRetryDelay);
        problems.throwIfAny();
        return new EventSettings(queue, queueWait, batchSize, threads, visibilityTimeout, queueRetryDelay, key,
                apiKeyHeader.toLowerCase(Locale.ROOT), maxBodyBytes, deliveryInterval,
                reconcileInterval, retention, maxAttempts, httpRetryDelay);
    }

    @Context
    Routing routing(List<EventRouteProperties> configured,
                    @Value("${deploybot.events.announce-images:false}") boolean announceImages) {
        ConfigurationProblems problems = new ConfigurationProblems();
        List<Route> routes = new ArrayList<>();
        Map<Route.Match, String> seen = new HashMap<>();
        for (EventRouteProperties properties : configured) {
            String key = "deploybot.events.routes." + properties.getName();
            Optional<Route.Match> match = match(key, properties, problems);
            if (properties.getChannel() == null || !CHANNEL.matcher(properties.getChannel()).matches()) {
                problems.add(key + ".channel", "required: the Slack channel ID (like C0123ABCD) where its messages go");
            }
            Set<Progress> states = EnumSet.noneOf(Progress.class);
            for (String state : properties.getStates()) {
                try {
                    states.add(Progress.valueOf(state.trim().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    problems.add(key + ".states", "'" + state + "' is not one of IN_PROGRESS, SUCCEEDED, FAILED");
                }
            }
            if (match.isPresent()) {
                String earlier = seen.putIfAbsent(match.get(), key);
                if (earlier != null) {
                    problems.add(key, "routes the same thing as " + earlier + "; one route per project, application or service");
                } else if (properties.getChannel() != null && CHANNEL.matcher(properties.getChannel()).matches()) {
                    routes.add(new Route(properties.getName(), match.get(), properties.getChannel(), states));
                }
            }
        }
        problems.throwIfAny();
        return new Routing(routes, announceImages);
    }

    private static Optional<Route.Match> match(String key, EventRouteProperties properties, ConfigurationProblems problems) {
        int given = (properties.getCodebuildProject() != null ? 1 : 0) + (properties.getCodedeployApplication() != null ? 1 : 0)
                + (properties.getEcsService() != null ? 1 : 0);
        if (given != 1) {
            problems.add(key, "needs exactly one of codebuild-project, codedeploy-application, ecs-service");
            return Optional.empty();
        }
        if (properties.getCodebuildProject() != null) {
            if (!PROJECT.matcher(properties.getCodebuildProject()).matches()) {
                problems.add(key + ".codebuild-project", "is not a CodeBuild project name");
                return Optional.empty();
            }
            return Optional.of(new Route.CodeBuildProject(properties.getCodebuildProject()));
        }
        if (properties.getCodedeployApplication() != null) {
            if (!APPLICATION.matcher(properties.getCodedeployApplication()).matches()) {
                problems.add(key + ".codedeploy-application", "is not a CodeDeploy application name");
                return Optional.empty();
            }
            return Optional.of(new Route.CodeDeployApplication(properties.getCodedeployApplication()));
        }
        if (!ECS_SERVICE.matcher(properties.getEcsService()).matches()) {
            problems.add(key + ".ecs-service", "must be cluster/service, like default/web");
            return Optional.empty();
        }
        String[] parts = properties.getEcsService().split("/");
        return Optional.of(new Route.EcsService(parts[0], parts[1]));
    }

    private static void positive(ConfigurationProblems problems, String key, Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            problems.add(key, "must be a positive duration like 30s");
        }
    }
}
