package dev.deploybot.activity;

import java.util.function.Supplier;

/** The unit of work of the in-memory fakes: each of their writes is kept at once, so the work simply runs. */
public final class ImmediateUnitOfWork implements UnitOfWork {
    @Override
    public <T> T together(Supplier<T> work) {
        return work.get();
    }

    @Override
    public <T> T sharedCommit(Supplier<T> work) {
        return work.get();
    }
}
