package dev.deploybot.events;

import dev.deploybot.config.EventSettings;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The door for EventBridge API destinations. EventBridge gives up after 5 seconds and retries on 5xx, so the
 * answer comes once the event is read and durably kept (a permanently bad one gets 400, so it is not retried).
 * Keeping it and handling it cost one commit, shared with the events arriving at the same moment; an event
 * whose handling fails is kept with its body and handled again from the store.
 * Without {@code DEPLOYBOT_EVENTS_API_KEY} the door does not exist.
 */
@Controller("/events")
public class AwsEventsController {
    private static final Logger LOG = LoggerFactory.getLogger(AwsEventsController.class);
    private final EventIntake intake;
    private final String header;
    private final int maxBodyBytes;
    /** The key's digest: comparing digests takes the same time whatever the length or content of a guess. */
    private final byte[] keyDigest;

    AwsEventsController(EventIntake intake, EventSettings settings) {
        this.intake = intake;
        this.header = settings.apiKeyHeader();
        this.maxBodyBytes = settings.maxBodyBytes();
        this.keyDigest = settings.apiKey().map(AwsEventsController::sha256).orElse(null);
    }

    @Post(uri = "/aws", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<String> receive(HttpRequest<?> request, @Nullable @Body byte[] body) {
        if (keyDigest == null) {
            return HttpResponse.<String>notFound().body("{\"error\":\"not found\"}");
        }
        String given = request.getHeaders().get(header);
        if (given == null || !MessageDigest.isEqual(keyDigest, sha256(given))) {
            LOG.warn("refused an event from {}: {}", request.getRemoteAddress(), given == null ? "no API key" : "wrong API key");
            return HttpResponse.<String>status(HttpStatus.UNAUTHORIZED).body("{\"error\":\"unauthorized\"}");
        }
        byte[] bytes = body == null ? new byte[0] : body;
        if (bytes.length > maxBodyBytes) {
            return HttpResponse.<String>status(HttpStatus.REQUEST_ENTITY_TOO_LARGE).body("{\"error\":\"event too large\"}");
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        EventIntake.ReadEvent event;
        try {
            event = intake.read(text);
        } catch (MalformedEvent problem) {
            // Permanently bad: a 4xx stops EventBridge from retrying it for a day.
            return HttpResponse.<String>badRequest().body("{\"error\":\"not an EventBridge event: " + json(problem.getMessage()) + "\"}");
        }
        EventIntake.Outcome outcome;
        try {
            outcome = intake.acceptOverHttp(event, text);
        } catch (RuntimeException e) {
            LOG.warn("could not keep event {}; EventBridge will retry: {}", event.id(), e.toString());
            return HttpResponse.<String>status(HttpStatus.SERVICE_UNAVAILABLE).body("{\"error\":\"try again\"}");
        }
        if (outcome instanceof EventIntake.Duplicate) {
            return HttpResponse.ok("{\"status\":\"duplicate\"}");
        }
        return HttpResponse.<String>status(HttpStatus.ACCEPTED).body("{\"status\":\"accepted\"}");
    }

    private static String json(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
