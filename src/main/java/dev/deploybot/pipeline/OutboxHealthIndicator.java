package dev.deploybot.pipeline;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;

import java.util.Map;

/** The outbox backlog as a health detail for operators; a backlog is Slack's state, never the bot's DOWN. */
@Singleton
public class OutboxHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {
    private final OutboxBacklog backlog;

    public OutboxHealthIndicator(OutboxBacklog backlog) {
        this.backlog = backlog;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        healthStatus = HealthStatus.UP;
        double count = backlog.count();
        return Map.of("backlog", Double.isNaN(count) ? "unknown (the database cannot be read)" : (Object) (long) count);
    }

    @Override
    protected String getName() {
        return "outbox";
    }
}
