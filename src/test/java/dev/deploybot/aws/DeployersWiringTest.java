package dev.deploybot.aws;

import dev.deploybot.core.Progress;
import dev.deploybot.core.Environment.DeploySettings;
import dev.deploybot.core.Environment.Strategy;
import dev.deploybot.core.ImageRef;
import dev.deploybot.deploy.ContainerImages;
import dev.deploybot.deploy.DeploymentHandle;
import dev.deploybot.deploy.DeploymentStatus;
import dev.deploybot.deploy.FollowDeployment;
import dev.deploybot.deploy.ServiceDeployers;
import dev.deploybot.testing.FakeAws;
import dev.deploybot.testing.TaskDefinitionSpec;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.deploybot.testing.TaskDefinitionSpec.container;
import static org.assertj.core.api.Assertions.assertThat;

/** The application context offers a deployer per strategy, and its SDK clients find AWS by the default chains. */
class DeployersWiringTest {

    private static final List<String> PROPERTIES = List.of("aws.endpointUrl", "aws.region", "aws.accessKeyId",
            "aws.secretAccessKey");

    @TempDir
    Path data;

    private FakeAws fake;
    private final Map<String, String> previous = new HashMap<>();

    @BeforeEach
    void pointTheDefaultChainsAtTheFake() {
        fake = FakeAws.start();
        PROPERTIES.forEach(name -> previous.put(name, System.getProperty(name)));
        System.setProperty("aws.endpointUrl", fake.endpoint().toString());
        System.setProperty("aws.region", FakeAws.REGION);
        System.setProperty("aws.accessKeyId", "AKIDTEST");
        System.setProperty("aws.secretAccessKey", "secret");
    }

    @AfterEach
    void restore() {
        previous.forEach((name, value) -> {
            if (value == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, value);
            }
        });
        fake.close();
    }

    @Test
    void eachStrategyHasItsDeployerAndTheEcsOneReachesEcs() {
        fake.ecs().createService("prod", "api", TaskDefinitionSpec.of("api", container("app", "api:1", 8080)));
        ImageRef image = new ImageRef("111111111111.dkr.ecr.eu-west-1.amazonaws.com/api", "sha256:" + "f".repeat(64));
        DeploySettings settings = new DeploySettings(Strategy.ECS, "prod", "api", Optional.empty(), 8080, null, null,
                null, Duration.ofMinutes(5));

        try (ApplicationContext context = ApplicationContext.run(properties())) {
            ServiceDeployers deployers = context.getBean(ServiceDeployers.class);
            assertThat(deployers.forStrategy(Strategy.ECS)).isInstanceOf(EcsServiceDeployer.class);
            assertThat(deployers.forStrategy(Strategy.CODEDEPLOY)).isInstanceOf(CodeDeployServiceDeployer.class);
            assertThat(deployers.forStrategy(Strategy.CODEBUILD)).isInstanceOf(CodeBuildServiceDeployer.class);
            assertThat(context.getBean(FollowDeployment.class)).isNotNull();

            DeploymentHandle handle = deployers.forStrategy(Strategy.ECS)
                    .start(settings, ContainerImages.single(image, image.repository() + "@" + image.digest()), "r-1");
            fake.ecs().completeDeployment("prod", "api");

            assertThat(deployers.forStrategy(Strategy.ECS).check(settings, handle).phase())
                    .isEqualTo(Progress.SUCCEEDED);
        }
    }

    private Map<String, Object> properties() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("deploybot.slack.bot-token", "xoxb-test-token");
        properties.put("deploybot.slack.signing-secret", "secret");
        properties.put("deploybot.store.directory", data.toString());
        properties.put("deploybot.environments.stg.channel", "C0STG");
        properties.put("deploybot.environments.stg.build.project", "app-stg");
        properties.put("micronaut.server.port", -1);
        return properties;
    }
}
