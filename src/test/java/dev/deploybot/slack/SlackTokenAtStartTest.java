package dev.deploybot.slack;

import dev.deploybot.Application;
import dev.deploybot.testing.DeploybotApp;
import dev.deploybot.testing.FakeAws;
import dev.deploybot.testing.FakeSlack;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** auth.test once at start: a refused token stops start-up in one line; Slack unreachable does not. */
class SlackTokenAtStartTest {
    @TempDir
    Path data;

    @Test
    void aRevokedTokenStopsStartUpWithOneLine() {
        // Everything else in order (AWS included): the token is asked about while the rest starts.
        try (FakeSlack slack = FakeSlack.start("xoxb-the-right-one"); FakeAws aws = FakeAws.start()) {
            DeploybotApp.pointAwsAt(aws);
            assertThatThrownBy(() -> Application.launch(new String[0], properties(slack.apiUrl())))
                    .isInstanceOf(Application.StartupRefused.class)
                    .hasMessage("deploybot cannot start: SLACK_BOT_TOKEN: Slack refused it (invalid_auth); copy the Bot User "
                            + "OAuth Token from the app's OAuth page again (or set deploybot.slack.allow-degraded-start: true to start anyway)");
        }
    }

    @Test
    void slackUnreachableAtStartIsAHealthDetailAndCommandsStillGetAnAnswer() throws Exception {
        try (FakeSlack slack = FakeSlack.start(); FakeAws aws = FakeAws.start()) {
            slack.failAlways("auth.test", FakeSlack.Failure.serverError());
            DeploybotApp.pointAwsAt(aws);
            Map<String, Object> properties = properties(slack.apiUrl());
            try (ApplicationContext context = Application.launch(new String[0], properties)) {
                URI base = context.getBean(io.micronaut.runtime.server.EmbeddedServer.class).getURI();
                HttpResponse<String> health = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(base.resolve("/health")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(200);
                assertThat(health.body()).as("anonymous: status only").contains("UP").doesNotContain("jdbc", "diskSpace", "auth.test");
                assertThat(context.getBean(SlackIdentity.class).connection()).isInstanceOf(SlackIdentity.Connection.Unreachable.class);
                assertThat(context.getBean(SlackHealthIndicator.class).getResult()).extracting(result -> String.valueOf(
                        reactor.core.publisher.Mono.from(result).block().getDetails())).asString().contains("unreachable at start-up");

                int asked = slack.calls("auth.test").size();
                HttpResponse<String> command = new dev.deploybot.testing.SlackRequests(base, DeploybotApp.SIGNING_SECRET)
                        .slashCommand("U0ALICE", "C0STG", "/deploy", "help");
                assertThat(command.statusCode()).isEqualTo(200);
                assertThat(command.body()).contains("stg");
                assertThat(slack.calls("auth.test")).as("asked at start only").hasSize(asked);
            }
        }
    }

    private Map<String, Object> properties(String apiUrl) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("deploybot.slack.bot-token", FakeSlack.DEFAULT_TOKEN);
        properties.put("deploybot.slack.signing-secret", DeploybotApp.SIGNING_SECRET);
        properties.put("deploybot.slack.api-url", apiUrl);
        properties.put("deploybot.store.directory", data.toString());
        properties.put("deploybot.environments.stg.channel", "C0STG");
        properties.put("deploybot.environments.stg.build.project", "app-stg");
        properties.put("micronaut.server.port", -1);
        return properties;
    }
}
