package dev.deploybot.slack;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.context.annotation.Context;
import okhttp3.Interceptor;
import okhttp3.Response;

import java.io.IOException;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Counts and times every Slack Web API call at the bottom of the Slack client, whoever makes it (the chat
 * wrappers, the outbox, Bolt's own {@code auth.test}, Socket Mode's {@code apps.connections.open}): one HTTP
 * exchange is one sample, so each retry after a 429 is counted too. The series exist from start-up, at zero.
 */
@Context
public class SlackCallMeter implements Interceptor {
    static final String METER = "deploybot.slack.calls";
    /** The methods the bot calls; a method outside this list (a newer Bolt's) is {@code other}. */
    static final List<String> METHODS = List.of("auth.test", "chat.postMessage", "chat.update", "chat.postEphemeral",
            "usergroups.users.list", "apps.connections.open");
    static final String OTHER = "other";
    /** Slack's {@code ok:false} answers start like this; the body is not parsed further (its error is outside text). */
    private static final String NOT_OK = "\"ok\":false";

    /** How a call ended: {@code ratelimited} is Slack's 429 (or {@code ok:false, error:ratelimited}). */
    enum Outcome {
        OK, ERROR, RATELIMITED, SERVER_ERROR, UNREACHABLE;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Map<String, Map<Outcome, Timer>> timers = new HashMap<>();

    public SlackCallMeter(MeterRegistry meters) {
        for (String method : Stream.concat(METHODS.stream(), Stream.of(OTHER)).toList()) {
            Map<Outcome, Timer> byOutcome = new EnumMap<>(Outcome.class);
            for (Outcome outcome : Outcome.values()) {
                byOutcome.put(outcome, Timer.builder(METER).description("Slack Web API calls by method and outcome")
                        .tags("method", method, "outcome", outcome.label()).register(meters));
            }
            timers.put(method, byOutcome);
        }
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        List<String> path = chain.request().url().pathSegments();
        String method = path.isEmpty() ? OTHER : path.get(path.size() - 1);
        long started = System.nanoTime();
        try {
            Response response = chain.proceed(chain.request());
            record(method, outcome(response), started);
            return response;
        } catch (IOException e) {
            record(method, Outcome.UNREACHABLE, started);
            throw e;
        }
    }

    private static Outcome outcome(Response response) throws IOException {
        if (response.code() == 429) {
            return Outcome.RATELIMITED;
        }
        if (response.code() >= 500) {
            return Outcome.SERVER_ERROR;
        }
        if (!response.isSuccessful()) {
            return Outcome.ERROR;
        }
        // A copy of the first bytes: the caller still reads the whole body.
        String start = response.peekBody(256).string().replace(" ", "");
        if (!start.contains(NOT_OK)) {
            return Outcome.OK;
        }
        return start.contains("\"error\":\"ratelimited\"") ? Outcome.RATELIMITED : Outcome.ERROR;
    }

    private void record(String method, Outcome outcome, long started) {
        timers.getOrDefault(method, timers.get(OTHER)).get(outcome).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }
}
