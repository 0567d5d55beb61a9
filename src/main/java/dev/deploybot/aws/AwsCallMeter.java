package dev.deploybot.aws;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.context.annotation.Context;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.Context.AfterExecution;
import software.amazon.awssdk.core.interceptor.Context.BeforeExecution;
import software.amazon.awssdk.core.interceptor.Context.FailedExecution;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Counts and times every AWS call of every client ({@link AwsClients#budgeted} adds it), by service and by how
 * it ended, the SDK's retries included: one call is one sample. The series exist from start-up, at zero, so a
 * dashboard shows "no throttling" rather than "no data".
 */
@Context
public class AwsCallMeter implements ExecutionInterceptor {
    static final String METER = "deploybot.aws.calls";
    /** The services the bot has clients for, as the SDK names them lower-cased without spaces; anything else is {@code other}. */
    static final List<String> SERVICES = List.of("codebuild", "ecr", "ecs", "codedeploy", "cloudwatch", "cloudwatchlogs", "sqs");
    static final String OTHER = "other";

    /** How a call ended, as an operator asks: was it us (client_error), AWS (server_error), the rate, or the clock? */
    enum Outcome {
        OK, THROTTLED, CLIENT_ERROR, SERVER_ERROR, TIMEOUT, UNREACHABLE;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("deploybot.started");
    private final Map<String, Map<Outcome, Timer>> timers = new HashMap<>();

    public AwsCallMeter(MeterRegistry meters) {
        for (String service : Stream.concat(SERVICES.stream(), Stream.of(OTHER)).toList()) {
            Map<Outcome, Timer> byOutcome = new EnumMap<>(Outcome.class);
            for (Outcome outcome : Outcome.values()) {
                byOutcome.put(outcome, Timer.builder(METER).description("AWS API calls, retries included, by service and outcome")
                        .tags("service", service, "outcome", outcome.label()).register(meters));
            }
            timers.put(service, byOutcome);
        }
    }

    @Override
    public void beforeExecution(BeforeExecution context, ExecutionAttributes attributes) {
        attributes.putAttribute(STARTED, System.nanoTime());
    }

    @Override
    public void afterExecution(AfterExecution context, ExecutionAttributes attributes) {
        record(attributes, Outcome.OK);
    }

    @Override
    public void onExecutionFailure(FailedExecution context, ExecutionAttributes attributes) {
        record(attributes, outcome(context.exception()));
    }

    static Outcome outcome(Throwable failure) {
        if (failure instanceof AwsServiceException service) {
            if (service.isThrottlingException()) {
                return Outcome.THROTTLED;
            }
            return service.statusCode() >= 500 ? Outcome.SERVER_ERROR : Outcome.CLIENT_ERROR;
        }
        if (failure instanceof SdkException sdk && AwsFailures.noAnswerInTime(sdk)) {
            return Outcome.TIMEOUT;
        }
        return Outcome.UNREACHABLE;
    }

    private void record(ExecutionAttributes attributes, Outcome outcome) {
        String name = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String service = name == null ? OTHER : name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        Long started = attributes.getAttribute(STARTED);
        timers.getOrDefault(service, timers.get(OTHER)).get(outcome)
                .record(started == null ? 0 : System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }
}
