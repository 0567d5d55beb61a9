package dev.deploybot.testing;

import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds the bot's migration at its start until the test lets it go, so that what happens while the database is still
 * being migrated can be seen without racing the clock. Flyway builds it by name: {@link #PROPERTIES} put it on the
 * bot's migration.
 */
public final class HeldMigration implements Callback {
    /** The bot's configuration that makes Flyway call this before it migrates. */
    public static final Map<String, Object> PROPERTIES = Map.of("flyway.datasources.default.properties.flyway.callbacks",
            HeldMigration.class.getName());
    private static volatile CountDownLatch held = new CountDownLatch(0);

    /** Migrations started from now on wait for {@link #release()}. */
    public static void hold() {
        held = new CountDownLatch(1);
    }

    public static void release() {
        held.countDown();
    }

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.BEFORE_MIGRATE;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public void handle(Event event, Context context) {
        try {
            if (!held.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the migration");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String getCallbackName() {
        return "held";
    }
}
