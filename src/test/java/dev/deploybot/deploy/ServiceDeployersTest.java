package dev.deploybot.deploy;

import dev.deploybot.core.Environment.DeploySettings;
import dev.deploybot.core.Environment.Strategy;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServiceDeployersTest {

    @Test
    void findsTheDeployerOfEachStrategy() {
        ServiceDeployer ecs = new Named(Strategy.ECS);
        ServiceDeployer codeBuild = new Named(Strategy.CODEBUILD);

        ServiceDeployers deployers = new ServiceDeployers(List.of(ecs, codeBuild));

        assertThat(deployers.forStrategy(Strategy.ECS)).isSameAs(ecs);
        assertThat(deployers.forStrategy(Strategy.CODEBUILD)).isSameAs(codeBuild);
        assertThatThrownBy(() -> deployers.forStrategy(Strategy.CODEDEPLOY))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("CODEDEPLOY");
    }

    @Test
    void twoDeployersForOneStrategyAreAWiringMistake() {
        assertThatThrownBy(() -> new ServiceDeployers(List.of(new Named(Strategy.ECS), new Named(Strategy.ECS))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("two deployers for ECS");
    }

    private record Named(Strategy strategy) implements ServiceDeployer {
        @Override
        public DeploymentHandle start(DeploySettings settings, ContainerImages images, String requestId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public DeploymentStatus check(DeploySettings settings, DeploymentHandle handle) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void stop(DeploySettings settings, DeploymentHandle handle) {
            throw new UnsupportedOperationException();
        }
    }
}
