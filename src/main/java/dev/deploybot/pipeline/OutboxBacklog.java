package dev.deploybot.pipeline;

import dev.deploybot.activity.Outbox;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * How many messages wait for Slack: the gauge {@code deploybot.outbox.backlog} and an operator's health detail.
 * Counting reads the whole outbox, so the count is kept for {@link #FRESH_FOR} and scrapes in between are free.
 */
@Context
public class OutboxBacklog {
    static final String METER = "deploybot.outbox.backlog";
    static final Duration FRESH_FOR = Duration.ofSeconds(15);
    private static final Logger LOG = LoggerFactory.getLogger(OutboxBacklog.class);
    private final Outbox outbox;
    private final Clock clock;
    private Instant countedAt = Instant.MIN;
    private double count = Double.NaN;

    public OutboxBacklog(Outbox outbox, Clock clock, MeterRegistry meters) {
        this.outbox = outbox;
        this.clock = clock;
        Gauge.builder(METER, this, OutboxBacklog::count)
                .description("Messages stored for Slack and not yet shown at their latest content (counted at most every 15s)")
                .register(meters);
    }

    /** The latest count, at most {@link #FRESH_FOR} old; NaN when the database cannot be read. */
    public synchronized double count() {
        Instant now = clock.instant();
        if (now.isAfter(countedAt.plus(FRESH_FOR))) {
            countedAt = now;
            try {
                count = outbox.backlog();
            } catch (RuntimeException e) {
                LOG.debug("the outbox backlog could not be counted: {}", e.toString());
                count = Double.NaN;
            }
        }
        return count;
    }
}
