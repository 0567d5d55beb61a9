package dev.deploybot.aws;

import dev.deploybot.release.ImageRegistry;
import dev.deploybot.release.ImageRegistryContract;
import dev.deploybot.testing.FakeAws;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;

import java.time.Clock;

/** The registry contract, on the ECR adapter talking to the fake ECR through the real SDK client. */
class EcrImageRegistryContractTest extends ImageRegistryContract {
    private FakeAws fake;
    private EcrClient ecr;
    private EcrImageRegistry registry;

    @BeforeEach
    void start() {
        fake = FakeAws.start();
        ecr = EcrClient.builder().endpointOverride(fake.endpoint()).region(Region.EU_WEST_1)
                .credentialsProvider(FakeAws.credentials()).httpClient(UrlConnectionHttpClient.create()).build();
        registry = new EcrImageRegistry(() -> ecr, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        ecr.close();
        fake.close();
    }

    @Override
    protected ImageRegistry registry() {
        return registry;
    }

    @Override
    protected void createRepository(String name, boolean immutable) {
        fake.ecr().createRepository(name, immutable);
    }

    @Override
    protected String push(String repository, String body, String... tags) {
        return fake.ecr().pushImage(repository, body, DOCKER, tags);
    }
}
