package dev.deploybot.events;

import dev.deploybot.activity.EventQueue;
import dev.deploybot.config.EventSettings;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Long-polls the events queue and hands each message to {@link EventIntake} on a bounded pool. A message is
 * deleted only once it is handled; while it is worked on its visibility is extended; one that could not be
 * handled is made visible again after a pause and left for the queue to redeliver, so the queue's redrive
 * policy moves a message that never works to its dead-letter queue. No message, however broken, stops the loop.
 */
@Context
@Requires(property = "deploybot.events.sqs.queue-url", pattern = ".+")
public class SqsEventPoller {
    private static final Logger LOG = LoggerFactory.getLogger(SqsEventPoller.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private final EventQueue queue;
    private final EventIntake intake;
    private final EventSettings settings;
    private final Semaphore freeWorkers;
    private final ExecutorService workers;
    private final ScheduledExecutorService heartbeat;
    private final Map<String, EventQueue.QueuedMessage> inFlight = new ConcurrentHashMap<>();
    private final Thread poller;
    private volatile boolean running = true;

    SqsEventPoller(EventQueue queue, EventIntake intake, EventSettings settings) {
        this.queue = queue;
        this.intake = intake;
        this.settings = settings;
        this.freeWorkers = new Semaphore(settings.threads());
        this.workers = Executors.newFixedThreadPool(settings.threads(), named("deploybot-sqs-worker"));
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(named("deploybot-sqs-heartbeat"));
        this.poller = named("deploybot-sqs-poll").newThread(this::poll);
    }

    @PostConstruct
    void start() {
        long every = Math.max(1000, settings.visibilityTimeout().toMillis() / 2);
        heartbeat.scheduleWithFixedDelay(this::extendVisibility, every, every, TimeUnit.MILLISECONDS);
        poller.start();
        LOG.info("polling {} for events with {} workers", settings.queueUrl().orElseThrow(), settings.threads());
    }

    private void poll() {
        Duration backoff = Duration.ofSeconds(1);
        while (running) {
            int free;
            try {
                freeWorkers.acquire(); // receive only what can be worked on now; the rest stays in the queue
                free = 1 + freeWorkers.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
            List<EventQueue.QueuedMessage> messages;
            try {
                messages = queue.receive(Math.min(free, settings.batchSize()), settings.queueWait(), settings.visibilityTimeout());
                backoff = Duration.ofSeconds(1);
            } catch (RuntimeException e) {
                freeWorkers.release(free);
                if (!running) {
                    return;
                }
                LOG.warn("receiving from the events queue failed; trying again in {}s: {}", backoff.toSeconds(), e.toString());
                if (!pause(backoff)) {
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                continue;
            }
            freeWorkers.release(free - messages.size());
            for (EventQueue.QueuedMessage message : messages) {
                inFlight.put(message.messageId(), message);
                workers.execute(() -> handle(message));
            }
        }
    }

    private void handle(EventQueue.QueuedMessage message) {
        try {
            intake.accept(message.body(), "sqs");
            queue.delete(message);
        } catch (MalformedEvent problem) {
            LOG.warn("leaving message {} for the queue (received {} times; its redrive policy moves it to the dead-letter queue): {}",
                    message.messageId(), message.receiveCount(), problem.getMessage());
            comeBackLater(message);
        } catch (RuntimeException e) {
            LOG.warn("could not handle message {} (received {} times); it comes back in {}s",
                    message.messageId(), message.receiveCount(), settings.queueRetryDelay().toSeconds(), e);
            comeBackLater(message);
        } finally {
            inFlight.remove(message.messageId());
            freeWorkers.release();
        }
    }

    private void comeBackLater(EventQueue.QueuedMessage message) {
        try {
            queue.setVisibility(message, settings.queueRetryDelay());
        } catch (RuntimeException e) {
            LOG.debug("could not shorten the visibility of {}; it comes back when it expires", message.messageId(), e);
        }
    }

    /** Messages still being handled keep their visibility, so a slow one is not handed to someone else. */
    private void extendVisibility() {
        for (EventQueue.QueuedMessage message : inFlight.values()) {
            try {
                queue.setVisibility(message, settings.visibilityTimeout());
            } catch (RuntimeException e) {
                LOG.debug("could not extend the visibility of {}", message.messageId(), e);
            }
        }
    }

    private boolean pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** Stops receiving, lets handlers finish (their messages are deleted), and leaves the rest to the queue. */
    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        poller.interrupt();
        workers.shutdown();
        if (!workers.awaitTermination(settings.visibilityTimeout().toSeconds(), TimeUnit.SECONDS)) {
            workers.shutdownNow();
        }
        heartbeat.shutdownNow();
        poller.join(TimeUnit.SECONDS.toMillis(5));
    }

    private static java.util.concurrent.ThreadFactory named(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
