package dev.deploybot.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Sends requests to an app's {@code POST {base}/slack/events} the way Slack does: the same form fields,
 * payload shapes and {@code X-Slack-Signature} signing, so end-to-end tests exercise the app's real
 * verification and parsing. Thread-safe.
 */
public final class SlackRequests {

    public static final String TEAM_ID = FakeSlack.TEAM_ID;
    public static final String TEAM_DOMAIN = "test";
    public static final String API_APP_ID = "A0TEST";
    /** The deprecated verification token Slack still sends in every payload. */
    public static final String VERIFICATION_TOKEN = "verification-token-test";
    public static final String DEFAULT_RESPONSE_URL = "http://127.0.0.1:9/unused";

    private static final String FORM = "application/x-www-form-urlencoded";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicLong TRIGGER_SEQUENCE = new AtomicLong();

    private final URI eventsUri;
    private final String signingSecret;
    private final String responseUrl;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    public SlackRequests(URI appBaseUrl, String signingSecret) {
        this(appBaseUrl, signingSecret, DEFAULT_RESPONSE_URL);
    }

    /** @param responseUrl sent as {@code response_url}, e.g. {@link FakeSlack#responseUrl()} */
    public SlackRequests(URI appBaseUrl, String signingSecret, String responseUrl) {
        String base = appBaseUrl.toString();
        this.eventsUri = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/slack/events");
        this.signingSecret = signingSecret;
        this.responseUrl = responseUrl;
    }

    /** A slash command with a fresh trigger_id, as when a user types it. */
    public HttpResponse<String> slashCommand(String userId, String channelId, String command, String text) {
        return slashCommand(userId, channelId, command, text, newTriggerId());
    }

    /** A slash command with a chosen trigger_id, to replay what Slack retries or a user double-submits. */
    public HttpResponse<String> slashCommand(String userId, String channelId, String command, String text,
                                             String triggerId) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("token", VERIFICATION_TOKEN);
        form.put("team_id", TEAM_ID);
        form.put("team_domain", TEAM_DOMAIN);
        form.put("channel_id", channelId);
        form.put("channel_name", channelName(channelId));
        form.put("user_id", userId);
        form.put("user_name", userName(userId));
        form.put("command", command);
        form.put("text", text);
        form.put("api_app_id", API_APP_ID);
        form.put("is_enterprise_install", "false");
        form.put("response_url", responseUrl);
        form.put("trigger_id", triggerId);
        return send(formEncode(form), FORM, Instant.now().getEpochSecond(), null, true);
    }

    /** A click on a button of a (non-ephemeral) message, delivered as a {@code block_actions} payload. */
    public HttpResponse<String> clickButton(String userId, String channelId, String messageTs,
                                            String actionId, String value) {
        ObjectNode payload = JSON.createObjectNode();
        payload.put("type", "block_actions");
        payload.putObject("user")
                .put("id", userId).put("username", userName(userId)).put("name", userName(userId))
                .put("team_id", TEAM_ID);
        payload.put("api_app_id", API_APP_ID);
        payload.put("token", VERIFICATION_TOKEN);
        payload.putObject("container")
                .put("type", "message").put("message_ts", messageTs).put("channel_id", channelId)
                .put("is_ephemeral", false);
        payload.put("trigger_id", newTriggerId());
        payload.putObject("team").put("id", TEAM_ID).put("domain", TEAM_DOMAIN);
        payload.putNull("enterprise");
        payload.put("is_enterprise_install", false);
        payload.putObject("channel").put("id", channelId).put("name", channelName(channelId));
        payload.putObject("message")
                .put("type", "message").put("ts", messageTs).put("text", "")
                .put("user", FakeSlack.BOT_USER_ID).put("bot_id", FakeSlack.BOT_ID);
        payload.put("response_url", responseUrl);
        ObjectNode action = payload.putArray("actions").addObject();
        action.put("action_id", actionId);
        action.put("block_id", "b1");
        action.putObject("text").put("type", "plain_text").put("text", actionId).put("emoji", true);
        action.put("value", value);
        action.put("type", "button");
        action.put("action_ts", actionTs());
        String body = "payload=" + URLEncoder.encode(payload.toString(), StandardCharsets.UTF_8);
        return send(body, FORM, Instant.now().getEpochSecond(), null, true);
    }

    /**
     * Posts {@code body} to the events URL.
     *
     * @param signatureOverride sent instead of the correct signature when not null
     * @param includeHeaders    false leaves out both the timestamp and the signature header
     */
    public HttpResponse<String> send(String body, String contentType, long timestampSeconds,
                                     String signatureOverride, boolean includeHeaders) {
        HttpRequest.Builder request = HttpRequest.newBuilder(eventsUri)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType)
                .header("User-Agent", "Slackbot 1.0 (+https://api.slack.com/robots)")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (includeHeaders) {
            request.header("X-Slack-Request-Timestamp", Long.toString(timestampSeconds));
            request.header("X-Slack-Signature",
                    signatureOverride != null ? signatureOverride : sign(signingSecret, timestampSeconds, body));
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach " + eventsUri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while posting to " + eventsUri, e);
        }
    }

    /** {@code v0=} + hex HMAC-SHA256 of {@code "v0:" + ts + ":" + body}, as Slack signs requests. */
    public static String sign(String secret, long timestampSeconds, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal(("v0:" + timestampSeconds + ":" + body).getBytes(StandardCharsets.UTF_8));
            return "v0=" + HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** A trigger_id shaped like Slack's, never repeated within a JVM. */
    public static String newTriggerId() {
        return "1234.5678." + TRIGGER_SEQUENCE.incrementAndGet() + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** The URL requests go to: {@code {base}/slack/events}. */
    public URI eventsUri() {
        return eventsUri;
    }

    private static String actionTs() {
        long micros = Instant.now().toEpochMilli() * 1000 + TRIGGER_SEQUENCE.incrementAndGet() % 1000;
        return String.format("%d.%06d", micros / 1_000_000, micros % 1_000_000);
    }

    private static String formEncode(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static String userName(String userId) {
        return "user-" + userId.toLowerCase();
    }

    private static String channelName(String channelId) {
        return "channel-" + channelId.toLowerCase();
    }
}
