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
 */
@Factory
public class WorkExecutor {
    public static final String NAME = "deploybot-work";

    @Singleton
    @Named(NAME)
    // Never shutdownNow: interrupting a thread in the middle of H2's file I/O closes the database's file
    // channel. Follow loops stop on their own (see ReleasePipeline#stop) and resume from the journal later.
    @Bean(preDestroy = "shutdown")
    ExecutorService work(@Value("${deploybot.work.threads:8}") int threads,
                         @Value("${deploybot.work.queue:200}") int queue) {
        AtomicInteger count = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue),
                runnable -> {
                    Thread thread = new Thread(runnable, NAME + "-" + count.incrementAndGet());
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
