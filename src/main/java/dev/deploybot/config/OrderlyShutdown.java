package dev.deploybot.config;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ShutdownEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The first step of a stop (SIGTERM closes the context): no {@code @Scheduled} round (housekeeping, the Slack
 * outbox) starts any more, and the one running is waited for, before any bean — the database least of all — is
 * destroyed. The work lanes drain next (see {@link WorkExecutor}); the database closes last.
 */
@Singleton
class OrderlyShutdown {
    private static final Logger LOG = LoggerFactory.getLogger(OrderlyShutdown.class);
    private final ExecutorService scheduler;
    private final Duration grace;

    OrderlyShutdown(@Named(TaskExecutors.SCHEDULED) ExecutorService scheduler,
                    @Value("${deploybot.work.shutdown-grace:30s}") Duration grace) {
        this.scheduler = scheduler;
        this.grace = grace;
    }

    @EventListener
    void onShutdown(ShutdownEvent event) {
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("a scheduled round is still running after {}", grace);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
