package dev.deploybot.aws;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;

import java.util.Map;

/**
 * The start-up credentials check as a health detail for operators. Never DOWN: a role may be attached later,
 * and a load balancer restarting the bot would not help.
 */
@Singleton
public class AwsHealthIndicator extends AbstractHealthIndicator<Map<String, String>> {
    private final AwsCredentialsCheck check;

    public AwsHealthIndicator(AwsCredentialsCheck check) {
        this.check = check;
    }

    @Override
    protected Map<String, String> getHealthInformation() {
        healthStatus = HealthStatus.UP;
        return Map.of("credentials", check.found());
    }

    @Override
    protected String getName() {
        return "aws";
    }
}
