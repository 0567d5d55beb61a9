package dev.deploybot.slack;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.methods.MethodsClient;
import dev.deploybot.config.SlackSettings;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.util.List;

/** The Bolt app and the Web API client, pointed at {@code SLACK_API_URL} when the operator sets it. */
@Factory
public class SlackClients {

    @Singleton
    @Bean(preDestroy = "close")
    Slack slack(SlackSettings settings) {
        SlackConfig config = new SlackConfig();
        config.setMethodsEndpointUrlPrefix(settings.getApiUrl());
        config.setPrettyResponseLoggingEnabled(false);
        config.setLibraryMaintainerMode(false);
        return Slack.getInstance(config);
    }

    @Singleton
    MethodsClient methods(Slack slack, SlackSettings settings) {
        return slack.methods(settings.getBotToken());
    }

    @Singleton
    App app(Slack slack, SlackSettings settings, List<SlackRoutes> routes) {
        AppConfig config = AppConfig.builder()
                .slack(slack)
                .singleTeamBotToken(settings.getBotToken())
                .signingSecret(settings.getSigningSecret())
                .build();
        // Our controller already verified the signature, strictly; Bolt's check is laxer.
        config.setRequestVerificationEnabled(false);
        App app = new App(config);
        routes.forEach(route -> route.register(app));
        return app;
    }
}
