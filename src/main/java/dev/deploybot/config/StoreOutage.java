package dev.deploybot.config;

import dev.deploybot.core.StoreUnavailable;
import org.slf4j.Logger;

import java.util.Optional;

/**
 * How a background round (event delivery, housekeeping) says that it could not reach the database. A database that
 * cannot be opened or migrated is logged once, with its reason, where it is opened, and stops the bot (README,
 * "Operations"); until the process has exited, every round that needs a record fails on it. One line each says
 * so, not a stack trace per round that buries the one error that matters.
 */
public final class StoreOutage {
    private StoreOutage() {
    }

    /**
     * Logs one line, without a stack trace, when {@code failure} comes from a database that is not available.
     *
     * @return false when the failure is something else, which the caller reports its own way
     */
    public static boolean report(Logger log, String round, Throwable failure) {
        Optional<StoreUnavailable> unavailable = StoreUnavailable.in(failure);
        unavailable.ifPresent(store -> log.warn("{} skipped: the database {}", round, store.retryable()
                ? "is still being opened and migrated"
                : "is not available (its error is logged where it is opened)"));
        return unavailable.isPresent();
    }
}
