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
 * <p>
 * A group runs in two stages, each held by one group at a time: its statements, then its commit. The next group
 * runs its statements while this one commits, on its own connection; commits keep the order of the groups. The
 * commit is the larger part of a group's time, so with one stage for both, one thread at a time did all the work
 * of every event and the other core waited.
 */
@Singleton
public class JdbcUnitOfWork implements UnitOfWork {
    private final Sql sql;
    /** Work waiting for the next group. */
    private final Queue<Waiting<?>> waiting = new ConcurrentLinkedQueue<>();
    /** Held by the group running its statements. */
    private final ReentrantLock forming = new ReentrantLock();
    /** Held by the group committing; taken before {@link #forming} is handed on, so commits keep the groups' order. */
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
        forming.lock();
        if (mine.taken) {
            forming.unlock(); // in a group that is committing now: its answer comes with that commit
        } else {
            commitWaiting(); // this thread leads every work waiting now, its own among them
        }
        try {
            return mine.outcome.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** Called holding {@link #forming}; hands it on once the group's statements have run. */
    private void commitWaiting() {
        List<Waiting<?>> group = new ArrayList<>();
        for (Waiting<?> next = waiting.poll(); next != null; next = waiting.poll()) {
            next.taken = true;
            group.add(next);
        }
        try {
            if (keptTogether(group)) {
                group.forEach(Waiting::complete);
            } else {
                // Nothing of the group was kept: each work again, on its own, with its own answer.
                group.forEach(each -> each.runAlone(sql));
            }
        } finally {
            // Whatever stopped this thread (an Error), no other thread waits forever for its answer.
            group.forEach(Waiting::abandon);
        }
    }

    /** Runs the group's statements, hands {@link #forming} on, and commits; answers whether the commit held. */
    private boolean keptTogether(List<Waiting<?>> group) {
        try {
            sql.together(() -> {
                group.forEach(each -> each.runInside(sql));
                committing.lock();
                forming.unlock();
                return null;
            });
            return true;
        } catch (RuntimeException commitFailed) {
            return false;
        } finally {
            if (forming.isHeldByCurrentThread()) {
                forming.unlock();
            }
            if (committing.isHeldByCurrentThread()) {
                committing.unlock();
            }
        }
    }

    /** A thread's work and, once the shared commit is done, its result or what it threw. */
    private static final class Waiting<T> {
        private final Supplier<T> work;
        private final CompletableFuture<T> outcome = new CompletableFuture<>();
        /** Set by the leader that took it into its group, under {@link #forming}, which its owner reads it under. */
        private boolean taken;
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
