package dev.deploybot.events;

import dev.deploybot.activity.EventInbox;
import dev.deploybot.activity.ReconcileBuilds;
import dev.deploybot.config.EventSettings;
import dev.deploybot.config.StoreOutage;
import dev.deploybot.core.ExternalFailure;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Provider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The periodic chores that keep messages true when events are lost or late: asking CodeBuild about builds
 * whose end was not seen, handling events accepted over HTTP whose handling never ran, and forgetting
 * old event ids.
 */
@Context
public class Housekeeping {
    private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);
    private static final int SWEEP_BATCH = 100;
    /** Looked up on first use: the AWS client behind it needs a region, which start-up must not. */
    private final Provider<ReconcileBuilds> reconcile;
    private final EventInbox inbox;
    /** Resolved on first use, off the start path like the rest of its work. */
    private final Provider<EventIntake> intake;
    private final DeliveryLoop delivery;
    private final EventSettings settings;
    private final Clock clock;
    private final ScheduledExecutorService threads = Executors.newScheduledThreadPool(1, runnable -> {
        Thread t = new Thread(runnable, "deploybot-housekeeping");
        t.setDaemon(true);
        return t;
    });

    Housekeeping(Provider<ReconcileBuilds> reconcile, EventInbox inbox, Provider<EventIntake> intake, DeliveryLoop delivery,
                 EventSettings settings, Clock clock) {
        this.reconcile = reconcile;
        this.inbox = inbox;
        this.intake = intake;
        this.delivery = delivery;
        this.settings = settings;
        this.clock = clock;
    }

    @PostConstruct
    void start() {
        long reconcileMillis = settings.reconcileInterval().toMillis();
        threads.scheduleWithFixedDelay(this::reconcile, reconcileMillis, reconcileMillis, TimeUnit.MILLISECONDS);
        // An event accepted over HTTP is handled in the commit that keeps it; one kept unhandled (with its body)
        // failed there, and is tried again after the retry delay.
        long retryMillis = settings.httpRetryDelay().toMillis();
        threads.scheduleWithFixedDelay(this::sweep, retryMillis, retryMillis, TimeUnit.MILLISECONDS);
        threads.scheduleWithFixedDelay(this::forget, 1, 60, TimeUnit.MINUTES);
    }

    void reconcile() {
        try {
            if (reconcile.get().reconcile() > 0) {
                delivery.wake();
            }
        } catch (ExternalFailure failure) {
            LOG.warn("could not ask CodeBuild about unfinished builds: {} {}", failure.code(), failure.detail());
        } catch (RuntimeException e) {
            if (!StoreOutage.report(LOG, "reconciling builds", e)) {
                LOG.warn("reconciling builds failed", e);
            }
        }
    }

    /**
     * Each left-over event on its own, oldest first, until none is left: one that fails is counted (and after its
     * last attempt set aside) and not tried again in the same pass, so it never holds up the ones behind it.
     */
    void sweep() {
        Set<String> tried = new HashSet<>();
        int handled = 0;
        while (!threads.isShutdown()) {
            List<EventInbox.ReceivedEvent> leftOver;
            try {
                leftOver = inbox.unhandled(clock.instant().minus(settings.httpRetryDelay()), SWEEP_BATCH + tried.size()).stream()
                        .filter(event -> !tried.contains(event.id())).toList();
            } catch (RuntimeException e) {
                if (!StoreOutage.report(LOG, "looking for left-over events", e)) {
                    LOG.warn("could not look for left-over events: {}", e.toString());
                }
                break;
            }
            if (leftOver.isEmpty()) {
                break;
            }
            for (EventInbox.ReceivedEvent event : leftOver) {
                tried.add(event.id());
                try {
                    if (intake.get().retry(event) instanceof EventIntake.Handled) {
                        handled++;
                    }
                } catch (RuntimeException e) {
                    LOG.warn("could not count a failed attempt at event {}: {}", event.id(), e.toString());
                }
            }
        }
        if (handled > 0) {
            LOG.info("{} left-over events handled", handled);
        }
    }

    void forget() {
        try {
            int forgotten = inbox.forgetHandledBefore(clock.instant().minus(settings.retention()));
            if (forgotten > 0) {
                LOG.info("forgot {} handled events older than {}", forgotten, settings.retention());
            }
        } catch (RuntimeException e) {
            if (!StoreOutage.report(LOG, "forgetting old events", e)) {
                LOG.warn("forgetting old events failed", e);
            }
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        threads.shutdown();
        if (!threads.awaitTermination(10, TimeUnit.SECONDS)) {
            threads.shutdownNow();
        }
    }
}
