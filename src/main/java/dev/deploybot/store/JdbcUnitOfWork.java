package dev.deploybot.store;

import dev.deploybot.activity.UnitOfWork;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One database transaction that the other JDBC adapters' statements on this thread join; or, shared, one commit
 * for the work of every thread waiting at the same moment (group commit: each commit writes the changed pages to
 * disk before it returns, so a burst of events costs a commit per group instead of one each).
 */
@Singleton
public class JdbcUnitOfWork implements UnitOfWork {
    private final Sql sql;
    /** Work waiting for the next shared commit. */
    private final Queue<Waiting<?>> waiting = new ConcurrentLinkedQueue<>();
    /** Held by the one thread running a shared commit; the others' work waits for the next. */
    private final ReentrantLock committing = new ReentrantLock();

    public JdbcUnitOfWork(DataSource dataSource) {
        this.sql = new Sql(dataSource);
    }

    @Override
    public <T> T together(Supplier<T> work) {
        return sql.together(work);
    }

    @Override
    public <T> T sharedCommit(Supplier<T> work) {
        if (sql.inUnitOfWork()) {
            return work.get(); // the caller's commit keeps it
        }
        Waiting<T> mine = new Waiting<>(work);
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
        if (group.size() == 1) {
            group.get(0).runAlone(sql); // nobody to share with: no savepoint needed
            return;
        }
        boolean kept = false;
        try {
            sql.together(() -> {
                group.forEach(each -> each.runInside(sql));
                return null;
            });
            kept = true;
        } catch (RuntimeException commitFailed) {
            // Nothing of the group was kept: each work again, on its own, with its own answer.
            group.forEach(each -> each.runAlone(sql));
        } finally {
            if (kept) {
                group.forEach(Waiting::complete);
            }
            // Whatever stopped this thread (an Error), no other thread waits forever for its answer.
            group.forEach(Waiting::abandon);
        }
    }

    /** A thread's work and, once the shared commit is done, its result or what it threw. */
    private static final class Waiting<T> {
        private final Supplier<T> work;
        private final CompletableFuture<T> outcome = new CompletableFuture<>();
        private T result;
        private RuntimeException failure;

        Waiting(Supplier<T> work) {
            this.work = work;
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
