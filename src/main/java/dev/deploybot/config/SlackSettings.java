package dev.deploybot.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;

import java.net.URI;

/**
 * The Slack app's secrets and API address. Checked at start-up: a bot that starts without them
 * would only fail later, on the first command, where nobody is watching the logs.
 */
@Context
@ConfigurationProperties("deploybot.slack")
public class SlackSettings {
    private String botToken;
    private String signingSecret;
    private String apiUrl = "https://slack.com/api/";

    public String getBotToken() {
        return botToken;
    }

    public void setBotToken(String botToken) {
        this.botToken = botToken;
    }

    public String getSigningSecret() {
        return signingSecret;
    }

    public void setSigningSecret(String signingSecret) {
        this.signingSecret = signingSecret;
    }

    public String getApiUrl() {
        return apiUrl;
    }

    public void setApiUrl(String apiUrl) {
        this.apiUrl = apiUrl.endsWith("/") ? apiUrl : apiUrl + "/";
    }

    @jakarta.annotation.PostConstruct
    void validate() {
        ConfigurationProblems problems = new ConfigurationProblems();
        if (botToken == null || botToken.isBlank()) {
            problems.add("SLACK_BOT_TOKEN", "not set: the bot token (xoxb-...) from the Slack app's OAuth page");
        }
        if (signingSecret == null || signingSecret.isBlank()) {
            problems.add("SLACK_SIGNING_SECRET", "not set: the signing secret from the Slack app's Basic Information page");
        }
        try {
            URI uri = URI.create(apiUrl);
            if (uri.getScheme() == null || !uri.getScheme().startsWith("http")) {
                problems.add("SLACK_API_URL", "must be an http(s) URL");
            }
        } catch (IllegalArgumentException e) {
            problems.add("SLACK_API_URL", "is not a URL");
        }
        problems.throwIfAny();
    }

    @Override
    public String toString() {
        return "SlackSettings[apiUrl=" + apiUrl + ", botToken=***, signingSecret=***]";
    }
}
