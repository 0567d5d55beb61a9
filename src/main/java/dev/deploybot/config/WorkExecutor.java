package dev.deploybot.config;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where slow work (AWS calls, following deployments) runs after Slack has been answered. Bounded
 * both ways: a burst of commands cannot exhaust threads or memory; when full, callers are told.
 * Split in lanes so that one kind of work stuck on AWS (a burst of staging builds against a hung
 * CodeBuild) never makes another kind (approvals, rollbacks, unlocks) answer "busy".
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

    @Singleton
    @Named(NAME)
    // Never shutdownNow: interrupting a thread in the middle of H2's file I/O closes the database's file
    // channel. Follow loops stop on their own (see ReleasePipeline#stop) and resume from the journal later.
    @Bean(preDestroy = "shutdown")
    ExecutorService work(@Value("${deploybot.work.threads:8}") int threads,
                         @Value("${deploybot.work.queue:200}") int queue) {
        return bounded(NAME, threads, queue);
    }

    @Singleton
    @Named(BUILDS)
    @Bean(preDestroy = "shutdown")
    ExecutorService builds(@Value("${deploybot.work.builds.threads:4}") int threads,
                           @Value("${deploybot.work.builds.queue:50}") int queue) {
        return bounded(BUILDS, threads, queue);
    }

    @Singleton
    @Named(RELEASES)
    @Bean(preDestroy = "shutdown")
    ExecutorService releases(@Value("${deploybot.work.releases.threads:8}") int threads,
                             @Value("${deploybot.work.releases.queue:100}") int queue) {
        return bounded(RELEASES, threads, queue);
    }

    @Singleton
    @Named(READS)
    @Bean(preDestroy = "shutdown")
    ExecutorService reads(@Value("${deploybot.work.reads.threads:8}") int threads,
                          @Value("${deploybot.work.reads.queue:100}") int queue) {
        return bounded(READS, threads, queue);
    }

    private static ExecutorService bounded(String name, int threads, int queue) {
        AtomicInteger count = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue),
                runnable -> {
                    Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                },
                new ThreadPoolExecutor.AbortPolicy());
    }

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
