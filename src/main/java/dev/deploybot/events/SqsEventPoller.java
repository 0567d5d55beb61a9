package dev.deploybot.events;

import dev.deploybot.activity.BuildChange;
import dev.deploybot.activity.DeploymentChange;
import dev.deploybot.activity.EventQueue;
import dev.deploybot.activity.ImagePushed;
import dev.deploybot.config.EventSettings;
import dev.deploybot.config.StoreOutage;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Long-polls the events queue a batch at a time and handles each batch's messages in parallel, those about one
 * subject one after another in the order received. A message is deleted only once handled (a batch's handled
 * messages in one call); while a batch is worked on its visibility is extended; a message whose handling failed
 * comes back after a pause (its attempts are counted in the store, which sets it aside after the last one);
 * one that is not an event at all is left for the queue's redrive policy to move to its dead-letter queue.
 * At shutdown nothing received is kept hidden: what was not handled is handed back to the queue at once.
 */
@Context
@Requires(property = "deploybot.events.sqs.queue-url", pattern = ".+")
public class SqsEventPoller {
    private static final Logger LOG = LoggerFactory.getLogger(SqsEventPoller.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /** How long, beyond the long-poll wait, stopping waits for the last receive to come back. */
    private static final Duration STOP_MARGIN = Duration.ofSeconds(5);
    private final EventQueue queue;
    private final EventIntake intake;
    private final EventSettings settings;
    /** Messages received and not yet finished with: one batch is worked on while the next is received. */
    private final Semaphore capacity;
    private final ExecutorService workers;
    private final ScheduledExecutorService heartbeat;
    private final Set<Batch> inFlight = ConcurrentHashMap.newKeySet();
    private final Thread poller;
    private volatile boolean running = true;
    private final CountDownLatch stopped = new CountDownLatch(1);

    SqsEventPoller(EventQueue queue, EventIntake intake, EventSettings settings) {
        this.queue = queue;
        this.intake = intake;
        this.settings = settings;
        this.capacity = new Semaphore(2 * settings.batchSize());
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
        int size = settings.batchSize();
        while (running) {
            // Receive only what can be worked on soon; the rest stays in the queue for other replicas.
            if (!awaitCapacity(size)) {
                return;
            }
            List<EventQueue.QueuedMessage> messages;
            try {
                messages = queue.receive(size, settings.queueWait(), settings.visibilityTimeout());
                backoff = Duration.ofSeconds(1);
            } catch (RuntimeException e) {
                capacity.release(size);
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
            capacity.release(size - messages.size());
            if (!running) {
                handBack(messages); // the long poll outlived the process's wish to stop
                capacity.release(messages.size());
                return;
            }
            if (!messages.isEmpty()) {
                dispatch(new Batch(messages));
            }
        }
    }

    /** Reads the batch here (cheap) so that messages about one subject go to one worker, in order. */
    private void dispatch(Batch batch) {
        inFlight.add(batch);
        Map<String, List<Reading>> bySubject = new LinkedHashMap<>();
        for (EventQueue.QueuedMessage message : batch.messages) {
            try {
                EventIntake.ReadEvent event = intake.read(message.body());
                bySubject.computeIfAbsent(orderKey(event), key -> new ArrayList<>()).add(new Reading(message, event));
            } catch (MalformedEvent problem) {
                LOG.warn("message {} is not an event we can read (received {} times; the queue's redrive policy moves it to the dead-letter queue): {}",
                        message.messageId(), message.receiveCount(), problem.getMessage());
                batch.retry(message);
            }
        }
        batch.pending(bySubject.size());
        for (List<Reading> group : bySubject.values()) {
            workers.execute(() -> handle(group, batch));
        }
    }

    private void handle(List<Reading> group, Batch batch) {
        try {
            for (Reading reading : group) {
                if (!running) {
                    batch.notStarted(reading.message);
                    continue;
                }
                try {
                    EventIntake.Outcome outcome = intake.acceptFromQueue(reading.event, reading.message.body());
                    if (outcome instanceof EventIntake.Failed) {
                        batch.retry(reading.message);
                    } else {
                        batch.done(reading.message);
                    }
                } catch (RuntimeException e) {
                    if (!StoreOutage.report(LOG, "handling message " + reading.message.messageId(), e)) {
                        LOG.warn("could not handle message {} (received {} times); it comes back in {}s: {}", reading.message.messageId(),
                                reading.message.receiveCount(), settings.queueRetryDelay().toSeconds(), e.toString());
                    }
                    batch.retry(reading.message);
                }
            }
        } finally {
            batch.groupFinished();
        }
    }

    /** Events about one build or deployment are handled one after another; others in parallel. */
    private static String orderKey(EventIntake.ReadEvent event) {
        return event.change().map(change -> {
            if (change instanceof BuildChange build) {
                return "build:" + build.buildId();
            }
            if (change instanceof DeploymentChange deployment) {
                return deployment.subject().key();
            }
            ImagePushed image = (ImagePushed) change;
            return "image:" + image.repository() + ":" + image.tag();
        }).orElse("event:" + event.id());
    }

    private void handBack(List<EventQueue.QueuedMessage> messages) {
        try {
            if (!messages.isEmpty()) {
                queue.setVisibility(messages, Duration.ZERO);
                LOG.info("handed {} received messages back to the queue on the way out", messages.size());
            }
        } catch (RuntimeException e) {
            LOG.warn("could not hand {} messages back to the queue; they come back when their visibility ends: {}",
                    messages.size(), e.toString());
        }
    }

    /** Batches still being worked on keep their visibility, so a slow one is not handed to someone else. */
    private void extendVisibility() {
        for (Batch batch : inFlight) {
            try {
                queue.setVisibility(batch.messages, settings.visibilityTimeout());
            } catch (RuntimeException e) {
                LOG.debug("could not extend the visibility of a batch", e);
            }
        }
    }

    private boolean awaitCapacity(int size) {
        try {
            while (!capacity.tryAcquire(size, 100, TimeUnit.MILLISECONDS)) {
                if (!running) {
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** @return false when stopping cut the pause short */
    private boolean pause(Duration duration) {
        try {
            return !stopped.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    boolean stopping() {
        return !running;
    }

    /**
     * Stops receiving and lets running handlers finish (their messages are deleted). A receive still open is
     * waited for (at most its long-poll wait): whatever it brings, and whatever was received but not started, is
     * handed back to the queue at once, so the next process sees it without waiting for a visibility timeout.
     */
    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        // Not an interrupt: the SDK would throw away the answer of the receive in flight, hiding what it brought.
        stopped.countDown();
        poller.join(settings.queueWait().plus(STOP_MARGIN).toMillis());
        workers.shutdown();
        if (!workers.awaitTermination(settings.visibilityTimeout().toSeconds(), TimeUnit.SECONDS)) {
            workers.shutdownNow();
        }
        heartbeat.shutdownNow();
    }

    private record Reading(EventQueue.QueuedMessage message, EventIntake.ReadEvent event) {
    }

    /** One receive's messages and what became of each; settled with the queue once every group is finished. */
    private final class Batch {
        private final List<EventQueue.QueuedMessage> messages;
        private final List<EventQueue.QueuedMessage> done = new ArrayList<>();
        private final List<EventQueue.QueuedMessage> retry = new ArrayList<>();
        private final List<EventQueue.QueuedMessage> notStarted = new ArrayList<>();
        private final AtomicInteger groups = new AtomicInteger();

        Batch(List<EventQueue.QueuedMessage> messages) {
            this.messages = List.copyOf(messages);
        }

        void pending(int count) {
            if (groups.addAndGet(count) == 0) {
                settle();
            }
        }

        synchronized void done(EventQueue.QueuedMessage message) {
            done.add(message);
        }

        synchronized void retry(EventQueue.QueuedMessage message) {
            retry.add(message);
        }

        synchronized void notStarted(EventQueue.QueuedMessage message) {
            notStarted.add(message);
        }

        void groupFinished() {
            if (groups.decrementAndGet() == 0) {
                settle();
            }
        }

        /** Each settlement on its own: a failed delete must not keep a message hidden that should come back. */
        private synchronized void settle() {
            inFlight.remove(this);
            try {
                if (!done.isEmpty()) {
                    queue.delete(done);
                }
            } catch (RuntimeException e) {
                LOG.debug("could not delete handled messages; they come back and are dropped as duplicates", e);
            }
            try {
                if (!retry.isEmpty()) {
                    queue.setVisibility(retry, settings.queueRetryDelay());
                }
            } catch (RuntimeException e) {
                LOG.debug("could not shorten the visibility of failed messages; they come back when it ends", e);
            }
            handBack(notStarted);
            capacity.release(messages.size());
        }
    }

    private static ThreadFactory named(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
