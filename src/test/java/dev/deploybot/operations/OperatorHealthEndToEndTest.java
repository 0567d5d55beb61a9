package dev.deploybot.operations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deploybot.testing.DeploybotApp;
import dev.deploybot.testing.FakeAws;
import dev.deploybot.testing.FakeSlack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The public sees UP or DOWN; an operator with the token sees why. */
class OperatorHealthEndToEndTest {
    private static final String TOKEN = "operator-token-for-tests-0123456789";
    private static FakeSlack slack;
    private static FakeAws aws;
    private static DeploybotApp app;

    @BeforeAll
    static void start() {
        slack = FakeSlack.start();
        aws = FakeAws.start();
        app = DeploybotApp.start(slack, aws, Map.of("deploybot.operator-token", TOKEN,
                "deploybot.environments.stg.channel", "C0STG", "deploybot.environments.stg.build.project", "app-stg"));
    }

    @AfterAll
    static void stop() {
        app.close();
        aws.close();
        slack.close();
    }

    @Test
    void anOperatorWithTheTokenSeesEveryDetailAndNobodyElseDoes() throws Exception {
        HttpResponse<String> anonymous = get("/health", null);
        assertThat(anonymous.statusCode()).isEqualTo(200);
        assertThat(anonymous.body()).contains("UP").doesNotContain("jdbc", "diskSpace", "auth.test", "backlog", "credentials");
        assertThat(get("/operator/health", null).statusCode()).isEqualTo(401);
        assertThat(get("/operator/health", "not-the-token-at-all-0123456789").statusCode()).isEqualTo(401);

        HttpResponse<String> operator = get("/operator/health", TOKEN);
        assertThat(operator.statusCode()).isEqualTo(200);
        JsonNode health = new ObjectMapper().readTree(operator.body());
        JsonNode components = health.path("components");
        assertThat(health.path("status").asText()).isEqualTo("UP");
        assertThat(components.path("slack").path("details").path("auth.test").asText()).isEqualTo("ok");
        assertThat(components.path("outbox").path("details").path("backlog").asLong(-1)).isZero();
        assertThat(components.path("aws").path("details").path("credentials").asText()).isNotEmpty();
        assertThat(components.path("jdbc").path("status").asText()).isEqualTo("UP");
        assertThat(components.path("diskSpace").path("status").asText()).isEqualTo("UP");
    }

    private static HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(app.url().resolve(path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
