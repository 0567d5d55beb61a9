package dev.deploybot.events;

import dev.deploybot.activity.DeliverActivity;
import dev.deploybot.config.EventSettings;
import dev.deploybot.config.StoreOutage;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Provider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs the outbox: one thread, so per-channel pacing holds and a message is never written twice at once;
 * events tell the outbox in the commit that records them, so it is woken only by the builds reconciler, and runs
 * every few seconds anyway for what could not be told then and for other replicas' changes.
 */
@Context
public class DeliveryLoop {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryLoop.class);
    /** Resolved on the delivery thread: building the Slack client it needs is kept off the start path. */
    private final Provider<DeliverActivity> deliver;
    private final EventSettings settings;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread t = new Thread(runnable, "deploybot-deliver");
        t.setDaemon(true);
        return t;
    });
    /** At most one extra round waits behind the running one, however often it is woken. */
    private final AtomicBoolean wakeQueued = new AtomicBoolean();

    DeliveryLoop(Provider<DeliverActivity> deliver, EventSettings settings) {
        this.deliver = deliver;
        this.settings = settings;
    }

    @PostConstruct
    void start() {
        long interval = settings.deliveryInterval().toMillis();
        thread.scheduleWithFixedDelay(this::round, 0, interval, TimeUnit.MILLISECONDS);
    }

    /** Delivers soon, without waiting for the next tick. */
    public void wake() {
        if (wakeQueued.compareAndSet(false, true)) {
            try {
                thread.execute(() -> {
                    wakeQueued.set(false);
                    round();
                });
            } catch (RejectedExecutionException stopping) {
                wakeQueued.set(false);
            }
        }
    }

    private void round() {
        try {
            // Keep going while there is work, so a backlog after an outage drains without waiting for ticks.
            while (!thread.isShutdown() && deliver.get().deliverDue() > 0) {
                Thread.onSpinWait();
            }
        } catch (RuntimeException e) {
            if (!StoreOutage.report(LOG, "delivering activity to Slack", e)) {
                LOG.warn("delivering activity to Slack failed; trying again shortly", e);
            }
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        thread.shutdown();
        if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
            thread.shutdownNow();
        }
    }
}
