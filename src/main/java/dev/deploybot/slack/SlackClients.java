package dev.deploybot.slack;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.middleware.Middleware;
import com.slack.api.bolt.middleware.builtin.IgnoringSelfEvents;
import com.slack.api.bolt.middleware.builtin.SSLCheck;
import com.slack.api.methods.MethodsClient;
import com.slack.api.util.http.SlackHttpClient;
import dev.deploybot.config.SlackSettings;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;

/** The Bolt app and the Web API client, pointed at {@code SLACK_API_URL} when the operator sets it. */
@Factory
public class SlackClients {

    @Singleton
    @Bean(preDestroy = "close")
    Slack slack(SlackSettings settings, SlackCallMeter meter) {
        SlackConfig config = new SlackConfig();
        config.setMethodsEndpointUrlPrefix(settings.getApiUrl());
        config.setPrettyResponseLoggingEnabled(false);
        config.setLibraryMaintainerMode(false);
        // The SDK's own call statistics look the team up with auth.test before a call, and fail the call
        // when that fails; the token is checked once at start-up instead (SlackIdentity).
        config.getMethodsConfig().setStatsEnabled(false);
        // Every Web API call, whoever makes it, goes through this one HTTP client and so through the meter.
        return Slack.getInstance(config, new SlackHttpClient(SlackHttpClient.buildOkHttpClient(config).newBuilder()
                .addInterceptor(meter).build()));
    }

    @Singleton
    MethodsClient methods(Slack slack, SlackSettings settings) {
        return slack.methods(settings.getBotToken());
    }

    @Singleton
    App app(Slack slack, SlackSettings settings, SlackIdentity identity, List<SlackRoutes> routes) {
        AppConfig config = AppConfig.builder()
                .slack(slack)
                .singleTeamBotToken(settings.getBotToken())
                .signingSecret(settings.getSigningSecret())
                .build();
        // Our controller already verified the signature, strictly; Bolt's check is laxer.
        config.setRequestVerificationEnabled(false);
        App app = new App(config) {
            // Bolt's own list calls auth.test when the first request comes and answers it with a 500 when
            // Slack cannot be reached; this is that list with the answer from start-up instead. (Request
            // verification is off: the controller checks signatures, Socket Mode needs none.)
            @Override
            protected List<Middleware> buildDefaultMiddlewareList(AppConfig appConfig) {
                List<Middleware> middleware = new ArrayList<>();
                if (appConfig.isSslCheckEnabled()) {
                    middleware.add(new SSLCheck(appConfig.getVerificationToken()));
                }
                middleware.add(new KnownBotAuthorization(appConfig, identity));
                if (appConfig.isIgnoringSelfEventsEnabled()) {
                    middleware.add(new IgnoringSelfEvents(appConfig.getSlack().getConfig()));
                }
                return middleware;
            }
        };
        routes.forEach(route -> route.register(app));
        return app;
    }
}
