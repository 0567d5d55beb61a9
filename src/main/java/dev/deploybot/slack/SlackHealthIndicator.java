package dev.deploybot.slack;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;

import java.util.Map;

/**
 * The start-up token check as a {@code /health} detail. Slack being unreachable does not make the bot
 * DOWN (a load balancer would only restart it, which cannot help); a refused token does.
 */
@Singleton
public class SlackHealthIndicator extends AbstractHealthIndicator<Map<String, String>> {
    private final SlackIdentity identity;

    public SlackHealthIndicator(SlackIdentity identity) {
        this.identity = identity;
    }

    @Override
    protected Map<String, String> getHealthInformation() {
        SlackIdentity.Connection connection = identity.connection();
        if (connection instanceof SlackIdentity.Connection.Verified verified) {
            healthStatus = HealthStatus.UP;
            return Map.of("auth.test", "ok", "team", verified.teamId(), "botUser", verified.botUserId());
        }
        if (connection instanceof SlackIdentity.Connection.Refused refused) {
            healthStatus = HealthStatus.DOWN;
            return Map.of("auth.test", refused.error());
        }
        healthStatus = HealthStatus.UP;
        return Map.of("auth.test", "unreachable at start-up: " + ((SlackIdentity.Connection.Unreachable) connection).reason());
    }

    @Override
    protected String getName() {
        return "slack";
    }
}
