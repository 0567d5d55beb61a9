package dev.deploybot.config;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where slow work (AWS calls, following deployments) runs after Slack has been answered. Bounded
 * both ways: a burst of commands cannot exhaust threads or memory; when full, callers are told.
 * Split in lanes so that one kind of work stuck on AWS (a burst of staging builds against a hung
 * CodeBuild) never makes another kind (approvals, rollbacks, unlocks) answer "busy".
 *
 * <p>On shutdown each lane stops taking work and waits (up to {@code deploybot.work.shutdown-grace}) for what
 * runs to finish or pause; only then does the database close. Each lane takes the {@link DataSource} for that
 * reason alone: a bean is destroyed before the beans it was built from.
 */
@Factory
public class WorkExecutor {
    /** Everything that is neither a build start nor a release: events, housekeeping, private answers. */
    public static final String NAME = "deploybot-work";
    /** Starting builds ({@code /deploy stg}, Retry). */
    public static final String BUILDS = "deploybot-builds";
    /** Release and rollback requests, approvals and the releases they ship, locks and unlocks. */
    public static final String RELEASES = "deploybot-releases";
    /** Read-only AWS lookups a person waits for ({@code /deploy status}); each is bounded in time by its caller. */
    public static final String READS = "deploybot-reads";
    private static final Logger LOG = LoggerFactory.getLogger(WorkExecutor.class);
    private final Duration grace;

    WorkExecutor(@Value("${deploybot.work.shutdown-grace:30s}") Duration grace) {
        this.grace = grace;
    }

    @Singleton
    @Named(NAME)
    @Bean(preDestroy = "drain")
    Lane work(@Value("${deploybot.work.threads:8}") int threads, @Value("${deploybot.work.queue:200}") int queue,
              DataSource database) {
        return new Lane(NAME, threads, queue, grace);
    }

    @Singleton
    @Named(BUILDS)
    @Bean(preDestroy = "drain")
    Lane builds(@Value("${deploybot.work.builds.threads:4}") int threads, @Value("${deploybot.work.builds.queue:50}") int queue,
                DataSource database) {
        return new Lane(BUILDS, threads, queue, grace);
    }

    @Singleton
    @Named(RELEASES)
    @Bean(preDestroy = "drain")
    Lane releases(@Value("${deploybot.work.releases.threads:8}") int threads,
                  @Value("${deploybot.work.releases.queue:100}") int queue, DataSource database) {
        return new Lane(RELEASES, threads, queue, grace);
    }

    @Singleton
    @Named(READS)
    @Bean(preDestroy = "drain")
    Lane reads(@Value("${deploybot.work.reads.threads:8}") int threads,
               @Value("${deploybot.work.reads.queue:100}") int queue, DataSource database) {
        return new Lane(READS, threads, queue, grace);
    }

    /** A bounded pool that refuses work when full and drains, without interrupting, when the process stops. */
    public static final class Lane extends ThreadPoolExecutor {
        private final String name;
        private final Duration grace;

        Lane(String name, int threads, int queue, Duration grace) {
            super(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue), threadsNamed(name),
                    new ThreadPoolExecutor.AbortPolicy());
            this.name = name;
            this.grace = grace;
        }

        /** The submitter's log context fields (request, release, environment) go along with the work, and go after it. */
        @Override
        public void execute(Runnable work) {
            Map<String, String> context = MDC.getCopyOfContextMap();
            super.execute(() -> {
                if (context != null) {
                    MDC.setContextMap(context);
                }
                try {
                    work.run();
                } finally {
                    MDC.clear();
                }
            });
        }

        /**
         * Never shutdownNow: interrupting a thread in the middle of H2's file I/O closes the database's file
         * channel. Follow loops pause on their own once the process stops (see ReleasePipeline) and resume from the
         * journal after the restart.
         */
        void drain() {
            shutdown();
            try {
                if (!awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warn("{}: work still running after {}; the database closes under it", name, grace);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static java.util.concurrent.ThreadFactory threadsNamed(String name) {
            AtomicInteger count = new AtomicInteger();
            return runnable -> {
                Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            };
        }
    }

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
