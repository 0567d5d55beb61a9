package dev.deploybot.store;

import dev.deploybot.activity.EventInbox.ReceivedEvent;
import dev.deploybot.activity.UnitOfWork;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One database transaction that the other JDBC adapters' statements on this thread join; or, shared, one commit
 * for the work of every thread waiting at the same moment (group commit: each commit writes the changed pages to
 * disk before it returns, so a burst of events costs a commit per group instead of one each). A group of accepted
 * events on the embedded H2 is instead appended to the {@link AcceptedEventLog} once committed, and H2 writes it with
 * its next store.
 */
@Singleton
public class JdbcUnitOfWork implements UnitOfWork {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcUnitOfWork.class);
    /** How often the log's files are sealed, H2 asked to write what they hold, and they are deleted. */
    private static final long WRITE_EVERY_MILLIS = 1000;
    private final Sql sql;
    /** Work waiting for the next shared commit. */
    private final Queue<Waiting<?>> waiting = new ConcurrentLinkedQueue<>();
    /** Held by the one thread running a shared commit; the others' work waits for the next. */
    private final ReentrantLock committing = new ReentrantLock();
    /** Known from the first accepted event on (the database's URL says where its file is, if it has one). */
    private volatile Optional<AcceptedEventLog> acceptedEvents;
    private ScheduledExecutorService writer;

    public JdbcUnitOfWork(DataSource dataSource) {
        this.sql = new Sql(dataSource);
    }

    @Override
    public <T> T together(Supplier<T> work) {
        return sql.together(work);
    }

    @Override
    public <T> T sharedCommit(Supplier<T> work) {
        return sharedCommit(work, null);
    }

    @Override
    public <T> T sharedCommit(Supplier<T> work, ReceivedEvent keptUntilWritten) {
        if (sql.inUnitOfWork()) {
            return work.get(); // the caller's commit keeps it
        }
        Waiting<T> mine = new Waiting<>(work, keptUntilWritten);
        waiting.add(mine);
        committing.lock();
        try {
            if (!mine.outcome.isDone()) {
                commitWaiting(); // this thread commits every work waiting now, its own among them
            }
        } finally {
            committing.unlock();
        }
        try {
            return mine.outcome.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    private void commitWaiting() {
        List<Waiting<?>> group = new ArrayList<>();
        for (Waiting<?> next = waiting.poll(); next != null; next = waiting.poll()) {
            group.add(next);
        }
        Optional<AcceptedEventLog> log = group.stream().allMatch(Waiting::kept) ? acceptedEvents() : Optional.empty();
        if (group.size() == 1 && log.isEmpty()) {
            group.get(0).runAlone(sql); // nobody to share with: no savepoint needed
            return;
        }
        Supplier<Void> all = () -> {
            group.forEach(each -> each.runInside(sql));
            return null;
        };
        try {
            boolean committed;
            try {
                if (log.isPresent()) {
                    sql.togetherUnwritten(all);
                } else {
                    sql.together(all);
                }
                committed = true;
            } catch (RuntimeException commitFailed) {
                // Nothing of the group was kept: each work again, on its own, with its own answer.
                group.forEach(each -> each.runAlone(sql));
                committed = false;
            }
            if (committed) {
                log.ifPresent(events -> keep(events, group));
                group.forEach(Waiting::complete);
            }
        } finally {
            // Whatever stopped this thread (an Error, a log and a database that both refuse to write), no other
            // thread waits forever for its answer.
            group.forEach(Waiting::abandon);
        }
    }

    /** The group's events in the log; when it cannot take them, H2 writes the commit now instead. */
    private void keep(AcceptedEventLog log, List<Waiting<?>> group) {
        List<ReceivedEvent> events = group.stream().filter(Waiting::succeeded).map(each -> each.keptUntilWritten).toList();
        if (events.isEmpty()) {
            return;
        }
        try {
            log.append(events);
        } catch (IOException e) {
            LOG.warn("could not append accepted events to {}; the database writes them now instead: {}", log, e.toString());
            sql.writeCommitted();
        }
    }

    private Optional<AcceptedEventLog> acceptedEvents() {
        Optional<AcceptedEventLog> known = acceptedEvents;
        if (known == null) {
            known = AcceptedEventLog.beside(sql.url());
            known.ifPresent(this::writeEverySecond);
            acceptedEvents = known;
        }
        return known;
    }

    private synchronized void writeEverySecond(AcceptedEventLog log) {
        writer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "accepted-events-writer");
            thread.setDaemon(true);
            return thread;
        });
        writer.scheduleWithFixedDelay(() -> writeAndForget(log), WRITE_EVERY_MILLIS, WRITE_EVERY_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Seals the log's files, has H2 write everything committed by then, and deletes them. */
    private void writeAndForget(AcceptedEventLog log) {
        try {
            List<Path> sealed = log.seal();
            if (!sealed.isEmpty()) {
                sql.writeCommitted();
                log.delete(sealed);
            }
        } catch (IOException | RuntimeException e) {
            // Kept: the next round tries again, and a start takes the events back from the files meanwhile.
            LOG.warn("could not have the database write the accepted events of {}: {}", log, e.toString());
        }
    }

    /** A stop leaves no file behind when the database can still write (it is closed after this). */
    @PreDestroy
    synchronized void stop() {
        if (writer != null) {
            writer.shutdown();
            try {
                writer.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            acceptedEvents.ifPresent(this::writeAndForget);
        }
    }

    /** A thread's work and, once the shared commit is done, its result or what it threw. */
    private static final class Waiting<T> {
        private final Supplier<T> work;
        /** The event to keep in the log once committed; null for work that waits for the database's write. */
        private final ReceivedEvent keptUntilWritten;
        private final CompletableFuture<T> outcome = new CompletableFuture<>();
        private T result;
        private RuntimeException failure;

        Waiting(Supplier<T> work, ReceivedEvent keptUntilWritten) {
            this.work = work;
            this.keptUntilWritten = keptUntilWritten;
        }

        boolean kept() {
            return keptUntilWritten != null;
        }

        boolean succeeded() {
            return failure == null;
        }

        void runInside(Sql sql) {
            try {
                result = sql.undoneAloneOnFailure(work);
                failure = null;
            } catch (RuntimeException e) {
                failure = e;
            }
        }

        void complete() {
            if (failure == null) {
                outcome.complete(result);
            } else {
                outcome.completeExceptionally(failure);
            }
        }

        /** Does nothing once answered. */
        void abandon() {
            outcome.completeExceptionally(new IllegalStateException("the shared commit stopped before answering this work"));
        }

        void runAlone(Sql sql) {
            try {
                outcome.complete(sql.together(work));
            } catch (RuntimeException e) {
                outcome.completeExceptionally(e);
            }
        }
    }
}
