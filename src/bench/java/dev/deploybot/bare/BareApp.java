package dev.deploybot.bare;

import io.micronaut.runtime.Micronaut;

/**
 * The yardstick of issue 13: a bare Bolt-on-Micronaut app with one controller whose only command answers
 * {@code ctx.ack()}. Built and run only by the {@code bench} profile, in its own JVM, from its own jar and the
 * bot's dependencies: none of it is in the bot's jar, bean context or tests.
 */
public final class BareApp {
    private BareApp() {
    }

    public static void main(String[] args) {
        Micronaut.run(BareApp.class, args);
    }
}
