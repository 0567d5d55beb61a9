package dev.deploybot.deploy;

import dev.deploybot.core.Environment.Strategy;
import jakarta.inject.Singleton;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The deployer for each strategy an environment can name. */
@Singleton
public class ServiceDeployers {
    private final Map<Strategy, ServiceDeployer> byStrategy = new EnumMap<>(Strategy.class);

    public ServiceDeployers(List<ServiceDeployer> deployers) {
        for (ServiceDeployer deployer : deployers) {
            ServiceDeployer other = byStrategy.put(deployer.strategy(), deployer);
            if (other != null) {
                throw new IllegalStateException("two deployers for " + deployer.strategy() + ": "
                        + other.getClass().getName() + " and " + deployer.getClass().getName());
            }
        }
    }

    /** @throws IllegalStateException when no deployer implements the strategy: a wiring mistake, not bad input */
    public ServiceDeployer forStrategy(Strategy strategy) {
        ServiceDeployer deployer = byStrategy.get(strategy);
        if (deployer == null) {
            throw new IllegalStateException("no deployer for strategy " + strategy + "; have " + byStrategy.keySet());
        }
        return deployer;
    }
}
