package dev.deploybot.config;

import org.slf4j.MDC;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The context fields of log lines (the MDC, printed by the text and the JSON format alike) while the bot works on
 * something: {@code release} and {@code environment} here, {@code request} per Slack request. Set for one piece of
 * work and put back as it was when that ends; work handed to a lane takes its submitter's fields along
 * ({@link WorkExecutor.Lane}).
 */
public final class LogContext implements AutoCloseable {
    public static final String RELEASE = "release";
    public static final String ENVIRONMENT = "environment";
    private final Map<String, String> previous = new LinkedHashMap<>();

    private LogContext(Map<String, String> fields) {
        fields.forEach((key, value) -> {
            if (value != null) {
                previous.put(key, MDC.get(key));
                MDC.put(key, value);
            }
        });
    }

    /** A release (or rollback) request; {@code environment} may be null when not known yet. A null id sets nothing. */
    public static LogContext release(String releaseId, String environment) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(RELEASE, releaseId);
        fields.put(ENVIRONMENT, releaseId == null ? null : environment);
        return new LogContext(fields);
    }

    public static LogContext environment(String environment) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(ENVIRONMENT, environment);
        return new LogContext(fields);
    }

    @Override
    public void close() {
        previous.forEach((key, value) -> {
            if (value == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, value);
            }
        });
    }
}
