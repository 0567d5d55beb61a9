package dev.deploybot.operations;

import dev.deploybot.config.OperatorAccess;
import io.micronaut.health.HealthStatus;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Health details for operators: {@code GET /operator/health} with {@code Authorization: Bearer
 * $DEPLOYBOT_OPERATOR_TOKEN} answers each indicator's status and details (database, disk, Slack's start-up
 * {@code auth.test}, AWS credentials, outbox backlog). The public {@code /health} keeps saying UP or DOWN only.
 * Without the token configured the route answers 404, like any route that does not exist.
 */
@Controller("/operator")
public class OperatorHealthController {
    private static final Logger LOG = LoggerFactory.getLogger(OperatorHealthController.class);
    private static final Duration BUDGET = Duration.ofSeconds(5);
    private final List<HealthIndicator> indicators;
    private final byte[] tokenDigest;

    OperatorHealthController(List<HealthIndicator> indicators, OperatorAccess access) {
        this.indicators = indicators;
        this.tokenDigest = access.token().map(OperatorHealthController::sha256).orElse(null);
    }

    @Get(uri = "/health", produces = MediaType.APPLICATION_JSON)
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<?> health(HttpRequest<?> request) {
        if (tokenDigest == null) {
            return HttpResponse.notFound(Map.of("error", "not found"));
        }
        String given = request.getHeaders().getAuthorization().filter(value -> value.startsWith("Bearer "))
                .map(value -> value.substring("Bearer ".length())).orElse(null);
        if (given == null || !MessageDigest.isEqual(tokenDigest, sha256(given))) {
            LOG.warn("refused health details to {}: {}", request.getRemoteAddress(), given == null ? "no token" : "wrong token");
            return HttpResponse.status(HttpStatus.UNAUTHORIZED).body(Map.of("error", "unauthorized"));
        }
        Map<String, Object> components = new TreeMap<>();
        String status = "UP";
        List<CompletableFuture<HealthResult>> asked = indicators.stream().map(indicator -> first(indicator.getResult())).toList();
        long deadline = System.nanoTime() + BUDGET.toNanos();
        for (CompletableFuture<HealthResult> answer : asked) {
            HealthResult result = answered(answer, deadline);
            if (result == null) {
                status = "DOWN";
                continue;
            }
            components.put(result.getName(), Map.of("status", result.getStatus().getName(),
                    "details", result.getDetails() == null ? Map.of() : result.getDetails()));
            if (HealthStatus.DOWN.equals(result.getStatus())) {
                status = "DOWN";
            }
        }
        return HttpResponse.ok(Map.of("status", status, "components", components));
    }

    /** An indicator's answer, or null when it failed or took longer than what is left of the budget. */
    private static HealthResult answered(CompletableFuture<HealthResult> answer, long deadline) {
        try {
            return answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("a health indicator did not answer: {}", e.toString());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static CompletableFuture<HealthResult> first(Publisher<HealthResult> publisher) {
        CompletableFuture<HealthResult> first = new CompletableFuture<>();
        publisher.subscribe(new Subscriber<>() {
            @Override
            public void onSubscribe(Subscription subscription) {
                subscription.request(1);
            }

            @Override
            public void onNext(HealthResult result) {
                first.complete(result);
            }

            @Override
            public void onError(Throwable failure) {
                first.completeExceptionally(failure);
            }

            @Override
            public void onComplete() {
                first.complete(null);
            }
        });
        return first;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
