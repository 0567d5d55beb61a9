package dev.deploybot.core;

/**
 * The bot's own records cannot be reached: {@link #retryable()} while the database is still being opened and
 * migrated after a start, not when it could not be opened at all. Travels as the cause of the store's own failure,
 * so that whoever answers a person can tell "try again in a moment" from an internal error.
 */
public class StoreUnavailable extends ExternalFailure {
    public StoreUnavailable(String code, String message, boolean retryable, Throwable cause) {
        super("database", code, message, retryable, cause);
    }

    /** The first of these among {@code failure} and its causes, if any. */
    public static java.util.Optional<StoreUnavailable> in(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof StoreUnavailable unavailable) {
                return java.util.Optional.of(unavailable);
            }
        }
        return java.util.Optional.empty();
    }
}
