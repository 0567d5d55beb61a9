package dev.deploybot.events;

import dev.deploybot.activity.EventInbox;
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
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The door for EventBridge API destinations. EventBridge gives up after 5 seconds and retries on 5xx, so the
 * answer comes as soon as the event is read and durably kept (a permanently bad one gets 400, so it is not
 * retried); handling runs on the door's own bounded pool (or, when that is full, from the store a little later).
 * Without {@code DEPLOYBOT_EVENTS_API_KEY} the door does not exist.
 */
@Controller("/events")
public class AwsEventsController {
    private static final Logger LOG = LoggerFactory.getLogger(AwsEventsController.class);
    /** Events handled together in one commit, at most: a burst costs a commit per batch, not per event. */
    private static final int BATCH = 50;
    private final EventIntake intake;
    /** Accepted events waiting for a handler; beyond its capacity, the store's sweep takes them. */
    private final BlockingQueue<EventIntake.ReadEvent> waiting;
    private final ExecutorService work;
    private final String header;
    private final int maxBodyBytes;
    /** The key's digest: comparing digests takes the same time whatever the length or content of a guess. */
    private final byte[] keyDigest;

    AwsEventsController(EventIntake intake, EventSettings settings) {
        this.intake = intake;
        this.waiting = new ArrayBlockingQueue<>(Math.max(1, settings.httpQueue()));
        // Its own bounded pool: a burst of events never takes the threads that run commands, nor the reverse.
        AtomicInteger threads = new AtomicInteger();
        this.work = new ThreadPoolExecutor(settings.httpThreads(), settings.httpThreads(), 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(Math.max(1, settings.httpQueue())), runnable -> {
                    Thread thread = new Thread(runnable, "deploybot-events-http-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
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
        EventInbox.Admission admission;
        try {
            admission = intake.admit(event, text, "http");
        } catch (RuntimeException e) {
            LOG.warn("could not keep event {}; EventBridge will retry: {}", event.id(), e.toString());
            return HttpResponse.<String>status(HttpStatus.SERVICE_UNAVAILABLE).body("{\"error\":\"try again\"}");
        }
        if (admission == EventInbox.Admission.HANDLED) {
            return HttpResponse.ok("{\"status\":\"duplicate\"}");
        }
        // The body is in the store: a waiting event holds only what it tells.
        if (!waiting.offer(event)) {
            LOG.debug("event queue full; event {} is handled from the store shortly", event.id());
        } else {
            try {
                work.execute(this::handleWaiting);
            } catch (RejectedExecutionException enoughQueued) {
                LOG.trace("the handlers already queued take event {} (or the door is stopping and the store keeps it)", event.id());
            }
        }
        return HttpResponse.<String>status(HttpStatus.ACCEPTED).body("{\"status\":\"accepted\"}");
    }

    /** Takes what waits (up to a batch; another handler may have taken it already) and handles it together. */
    private void handleWaiting() {
        List<EventIntake.ReadEvent> batch = new ArrayList<>(BATCH);
        waiting.drainTo(batch, BATCH);
        if (batch.isEmpty()) {
            return;
        }
        try {
            intake.handleAll(batch);
        } catch (RuntimeException e) {
            LOG.warn("could not count a failed attempt at {} events; they are tried again from the store: {}", batch.size(), e.toString());
        }
    }

    /** Lets handlers that started finish; what waits is in the store and handled after the restart. */
    @PreDestroy
    void stop() throws InterruptedException {
        work.shutdown();
        if (!work.awaitTermination(10, TimeUnit.SECONDS)) {
            work.shutdownNow();
        }
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
