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
    private String appToken;
    private boolean allowDegradedStart;
    private boolean httpEnabled = true;

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

    /** The app-level token ({@code xapp-…}) that opens Socket Mode connections; unset: Slack reaches the bot over HTTP. */
    public java.util.Optional<String> getAppToken() {
        return java.util.Optional.ofNullable(appToken).filter(token -> !token.isBlank());
    }

    public void setAppToken(String appToken) {
        this.appToken = appToken;
    }

    /** Whether the bot may start when Slack refuses its token, to be fixed while it runs. */
    public boolean isAllowDegradedStart() {
        return allowDegradedStart;
    }

    public void setAllowDegradedStart(boolean allowDegradedStart) {
        this.allowDegradedStart = allowDegradedStart;
    }

    /** Whether {@code POST /slack/events} answers; off when Socket Mode is the only way in. */
    public boolean isHttpEnabled() {
        return httpEnabled;
    }

    public void setHttpEnabled(boolean httpEnabled) {
        this.httpEnabled = httpEnabled;
    }

    @jakarta.annotation.PostConstruct
    void validate() {
        ConfigurationProblems problems = new ConfigurationProblems();
        if (botToken == null || botToken.isBlank()) {
            problems.add("SLACK_BOT_TOKEN", "not set: the bot token (xoxb-...) from the Slack app's OAuth page");
        }
        if (httpEnabled && (signingSecret == null || signingSecret.isBlank())) {
            problems.add("SLACK_SIGNING_SECRET", "not set: the signing secret from the Slack app's Basic Information page");
        }
        if (appToken != null && !appToken.isBlank() && !appToken.startsWith("xapp-")) {
            problems.add("SLACK_APP_TOKEN", "must be the app-level token (xapp-...) from the Slack app's Basic Information page");
        }
        if (!httpEnabled && getAppToken().isEmpty()) {
            problems.add("deploybot.slack.http-enabled", "false leaves Slack no way in: set SLACK_APP_TOKEN for Socket Mode");
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
        return "SlackSettings[apiUrl=" + apiUrl + ", botToken=***, signingSecret=***, appToken="
                + (getAppToken().isPresent() ? "***" : "-") + "]";
    }
}
