package dev.deploybot.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Slack Web API that keeps messages in memory, for tests that drive the real Slack SDK against it.
 * Point the SDK at it with {@code SlackConfig.setMethodsEndpointUrlPrefix(fake.apiUrl())}.
 * Like Slack, API-level errors are HTTP 200 with {@code "ok":false}; only rate limits and outages
 * change the HTTP status. All methods are thread-safe.
 */
public final class FakeSlack implements AutoCloseable {

    public static final String DEFAULT_TOKEN = "xoxb-test-token";
    public static final String TEAM_ID = "T0TEST";
    public static final String BOT_USER_ID = "U0BOT";
    public static final String BOT_ID = "B0BOT";

    /** What an injected failure answers instead of the method's normal result. */
    public sealed interface Failure {
        /** HTTP 200 with {@code {"ok":false,"error":error}}. */
        static Failure notOk(String error) {
            return new NotOk(error);
        }

        /** HTTP 429 with {@code Retry-After}, as Slack rate-limits a method. */
        static Failure rateLimited(int retryAfterSeconds) {
            return new RateLimited(retryAfterSeconds);
        }

        /** HTTP 500, as during a Slack outage. */
        static Failure serverError() {
            return new ServerError();
        }

        record NotOk(String error) implements Failure {
        }

        record RateLimited(int retryAfterSeconds) implements Failure {
        }

        record ServerError() implements Failure {
        }
    }

    private record Reply(int status, ObjectNode body, Map<String, String> headers) {
        boolean ok() {
            return status == 200 && body.path("ok").asBoolean(false);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    // Real message timestamps are "seconds.micros"; a fixed-width, strictly increasing counter keeps
    // post order equal to ts order, which threading and "latest message" logic rely on.
    private static final long FIRST_TS_MICROS = 1_700_000_000_000_000L;

    private final String validToken;
    private final LoopbackServer server;

    // All mutable state below is guarded by "this".
    private final List<SlackCall> calls = new ArrayList<>();
    private final Map<String, SlackMessage> messages = new LinkedHashMap<>(); // key: channel + ' ' + ts
    private final Map<String, List<String>> usergroups = new HashMap<>();
    private final Map<String, Deque<Failure>> nextFailures = new HashMap<>();
    private final Map<String, Failure> outages = new HashMap<>();
    private final List<JsonNode> responseUrlPosts = new ArrayList<>();
    private long lastTsMicros = FIRST_TS_MICROS;
    private String socketModeUrl;

    private FakeSlack(String validToken) {
        this.validToken = validToken;
        this.server = LoopbackServer.start("fake-slack", this::handle);
    }

    /** Accepts only {@link #DEFAULT_TOKEN}. */
    public static FakeSlack start() {
        return start(DEFAULT_TOKEN);
    }

    /** Accepts only {@code validToken}; with null, any non-empty token is accepted. */
    public static FakeSlack start(String validToken) {
        return new FakeSlack(validToken);
    }

    /** Methods endpoint prefix, with trailing slash, e.g. {@code http://127.0.0.1:PORT/api/}. */
    public String apiUrl() {
        return server.baseUri().resolve("api/").toString();
    }

    /**
     * A URL to hand out as a slash command's or button click's {@code response_url}; whatever the app
     * posts there is kept in {@link #responseUrlPosts()}.
     */
    public String responseUrl() {
        return server.baseUri().resolve("response-url").toString();
    }

    @Override
    public void close() {
        server.close();
    }

    // ---- test setup and failure injection ----

    /** What {@code apps.connections.open} hands out (see {@link FakeSocketMode}); unset, it answers an error. */
    public synchronized void setSocketModeUrl(String url) {
        this.socketModeUrl = url;
    }

    public synchronized void setUsergroupMembers(String usergroupId, String... userIds) {
        usergroups.put(usergroupId, List.of(userIds));
    }

    /** The next {@code times} calls of {@code method} fail with {@code failure}, then it behaves again. */
    public synchronized void failNext(String method, int times, Failure failure) {
        Deque<Failure> queue = nextFailures.computeIfAbsent(method, m -> new ArrayDeque<>());
        for (int i = 0; i < times; i++) {
            queue.add(failure);
        }
    }

    /** Every call of {@code method} fails until {@link #recover()}. */
    public synchronized void failAlways(String method, Failure failure) {
        outages.put(method, failure);
    }

    /** Ends all outages and drops failures not yet consumed. */
    public synchronized void recover() {
        outages.clear();
        nextFailures.clear();
    }

    /** Forgets calls, messages and failures, keeping usergroups; for fakes shared across tests. */
    public synchronized void reset() {
        calls.clear();
        messages.clear();
        responseUrlPosts.clear();
        recover();
    }

    // ---- assertions ----

    public synchronized List<SlackCall> calls() {
        return List.copyOf(calls);
    }

    public synchronized List<SlackCall> calls(String method) {
        return calls.stream().filter(c -> c.method().equals(method)).toList();
    }

    public synchronized Optional<SlackMessage> message(String channel, String ts) {
        return Optional.ofNullable(messages.get(key(channel, ts)));
    }

    /** Top-level messages of a channel in post order; thread replies are left out, as in the channel view. */
    public synchronized List<SlackMessage> channelMessages(String channel) {
        return messages.values().stream()
                .filter(m -> m.channel().equals(channel) && m.threadTs() == null)
                .toList();
    }

    public synchronized List<SlackMessage> threadReplies(String channel, String threadTs) {
        return messages.values().stream()
                .filter(m -> m.channel().equals(channel) && threadTs.equals(m.threadTs()))
                .toList();
    }

    /** Successful {@code chat.postEphemeral} calls; ephemeral messages are not kept in channels. */
    public synchronized List<SlackCall> ephemerals() {
        return calls.stream().filter(c -> c.method().equals("chat.postEphemeral") && !c.failed()).toList();
    }

    /** JSON bodies posted to {@link #responseUrl()}, in arrival order. */
    public synchronized List<JsonNode> responseUrlPosts() {
        return responseUrlPosts.stream().<JsonNode>map(JsonNode::deepCopy).toList();
    }

    // ---- HTTP ----

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String body = LoopbackServer.readBody(exchange);
        if (path.equals("/response-url")) {
            recordResponseUrlPost(body);
            LoopbackServer.respond(exchange, 200, "text/plain", "ok", Map.of());
            return;
        }
        if (!path.startsWith("/api/") || !exchange.getRequestMethod().equals("POST")) {
            LoopbackServer.respond(exchange, 404, "text/plain", "not found", Map.of());
            return;
        }
        String method = path.substring("/api/".length());
        String contentType = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
        boolean json = contentType.startsWith("application/json");
        String token = bearerToken(exchange);
        Map<String, String> params = new LinkedHashMap<>();
        try {
            params.putAll(parseForm(exchange.getRequestURI().getRawQuery()));
            params.putAll(json ? parseJsonObject(body) : parseForm(body));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            record(new SlackCall(method, params, token, true));
            send(exchange, notOk(json ? "invalid_json" : "invalid_form_data"));
            return;
        }
        // Slack reads the token from a form field too, but not from a JSON body.
        if (token == null && !json) {
            token = params.get("token");
        }
        send(exchange, dispatch(method, params, token));
    }

    private static void send(HttpExchange exchange, Reply reply) throws IOException {
        LoopbackServer.respond(exchange, reply.status(), "application/json; charset=utf-8",
                reply.body().toString(), reply.headers());
    }

    private synchronized Reply dispatch(String method, Map<String, String> params, String token) {
        Reply reply = injectedFailure(method)
                .map(FakeSlack::failureReply)
                .orElseGet(() -> authorizedCall(method, params, token));
        record(new SlackCall(method, params, token, !reply.ok()));
        return reply;
    }

    private Optional<Failure> injectedFailure(String method) {
        Deque<Failure> queue = nextFailures.get(method);
        if (queue != null && !queue.isEmpty()) {
            return Optional.of(queue.poll());
        }
        return Optional.ofNullable(outages.get(method));
    }

    private static Reply failureReply(Failure failure) {
        // Java 17 has no pattern matching for switch yet, hence the instanceof chain.
        if (failure instanceof Failure.NotOk notOk) {
            return notOk(notOk.error());
        }
        if (failure instanceof Failure.RateLimited limited) {
            return new Reply(429, errorBody("ratelimited"),
                    Map.of("Retry-After", Integer.toString(limited.retryAfterSeconds())));
        }
        return new Reply(500, errorBody("internal_error"), Map.of());
    }

    private Reply authorizedCall(String method, Map<String, String> params, String token) {
        if (token == null || token.isEmpty()) {
            return notOk("not_authed");
        }
        if ("apps.connections.open".equals(method)) {
            return connectionsOpen(token);
        }
        if (validToken != null && !validToken.equals(token)) {
            return notOk("invalid_auth");
        }
        return switch (method) {
            case "auth.test" -> authTest();
            case "chat.postMessage" -> postMessage(params);
            case "chat.update" -> update(params);
            case "chat.postEphemeral" -> postEphemeral(params);
            case "usergroups.users.list" -> usergroupUsers(params);
            case "users.info" -> userInfo(params);
            default -> notOk("unknown_method");
        };
    }

    // ---- methods ----

    /** Socket Mode takes the app-level token only, as Slack does; a bot token is the wrong type. */
    private Reply connectionsOpen(String token) {
        if (!token.startsWith("xapp-")) {
            return notOk("not_allowed_token_type");
        }
        if (socketModeUrl == null) {
            return notOk("internal_error");
        }
        ObjectNode body = okBody();
        body.put("url", socketModeUrl);
        return ok(body);
    }

    private Reply authTest() {
        ObjectNode body = okBody();
        body.put("url", "https://test.slack.com/");
        body.put("team", "Test");
        body.put("user", "deploybot");
        body.put("team_id", TEAM_ID);
        body.put("user_id", BOT_USER_ID);
        body.put("bot_id", BOT_ID);
        body.put("is_enterprise_install", false);
        return ok(body);
    }

    private Reply postMessage(Map<String, String> params) {
        String channel = params.get("channel");
        if (isBlank(channel)) {
            return notOk("channel_not_found");
        }
        Optional<JsonNode> blocks;
        try {
            blocks = parseBlocks(params.get("blocks"));
        } catch (JsonProcessingException e) {
            return notOk("invalid_blocks_format");
        }
        if (isBlank(params.get("text")) && blocks.isEmpty() && isBlank(params.get("attachments"))) {
            return notOk("no_text");
        }
        String threadTs = blankToNull(params.get("thread_ts"));
        // Stricter than Slack, which may post a reply to a missing parent as a plain message:
        // a reply aimed at the wrong ts is almost always a bug the test should see.
        if (threadTs != null && !messages.containsKey(key(channel, threadTs))) {
            return notOk("thread_not_found");
        }
        SlackMessage message = new SlackMessage(channel, nextTs(), threadTs,
                blankToNull(params.get("text")), blocks.orElse(null));
        messages.put(key(channel, message.ts()), message);
        ObjectNode body = okBody();
        body.put("channel", channel);
        body.put("ts", message.ts());
        body.set("message", messageJson(message));
        return ok(body);
    }

    private Reply update(Map<String, String> params) {
        String channel = params.get("channel");
        if (isBlank(channel)) {
            return notOk("channel_not_found");
        }
        String ts = params.get("ts");
        SlackMessage existing = isBlank(ts) ? null : messages.get(key(channel, ts));
        if (existing == null) {
            return notOk("message_not_found");
        }
        Optional<JsonNode> blocks;
        try {
            blocks = parseBlocks(params.get("blocks"));
        } catch (JsonProcessingException e) {
            return notOk("invalid_blocks_format");
        }
        // chat.update keeps whatever the call leaves out; an empty blocks array removes the blocks.
        String text = params.containsKey("text") ? blankToNull(params.get("text")) : existing.text();
        JsonNode newBlocks = params.containsKey("blocks")
                ? blocks.filter(b -> !b.isEmpty()).orElse(null)
                : existing.blocks();
        SlackMessage updated = new SlackMessage(channel, ts, existing.threadTs(), text, newBlocks);
        messages.put(key(channel, ts), updated);
        ObjectNode body = okBody();
        body.put("channel", channel);
        body.put("ts", ts);
        body.put("text", text == null ? "" : text);
        body.set("message", messageJson(updated));
        return ok(body);
    }

    private Reply postEphemeral(Map<String, String> params) {
        if (isBlank(params.get("channel"))) {
            return notOk("channel_not_found");
        }
        if (isBlank(params.get("user"))) {
            return notOk("user_not_found");
        }
        try {
            if (isBlank(params.get("text")) && parseBlocks(params.get("blocks")).isEmpty()
                    && isBlank(params.get("attachments"))) {
                return notOk("no_text");
            }
        } catch (JsonProcessingException e) {
            return notOk("invalid_blocks_format");
        }
        ObjectNode body = okBody();
        body.put("message_ts", nextTs());
        return ok(body);
    }

    private Reply usergroupUsers(Map<String, String> params) {
        List<String> members = usergroups.get(String.valueOf(params.get("usergroup")));
        if (members == null) {
            return notOk("no_such_subteam");
        }
        ObjectNode body = okBody();
        ArrayNode users = body.putArray("users");
        members.forEach(users::add);
        return ok(body);
    }

    private Reply userInfo(Map<String, String> params) {
        String id = params.get("user");
        if (isBlank(id)) {
            return notOk("user_not_found");
        }
        ObjectNode body = okBody();
        ObjectNode user = body.putObject("user");
        String name = id.toLowerCase();
        user.put("id", id);
        user.put("team_id", TEAM_ID);
        user.put("name", name);
        user.put("real_name", name);
        user.put("deleted", false);
        user.put("is_bot", id.equals(BOT_USER_ID));
        user.put("tz", "Europe/Dublin");
        ObjectNode profile = user.putObject("profile");
        profile.put("real_name", name);
        profile.put("display_name", name);
        return ok(body);
    }

    // ---- helpers ----

    private synchronized void record(SlackCall call) {
        calls.add(call);
    }

    private void recordResponseUrlPost(String body) {
        JsonNode posted;
        try {
            posted = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            posted = JSON.getNodeFactory().textNode(body);
        }
        synchronized (this) {
            responseUrlPosts.add(posted);
        }
    }

    private String nextTs() {
        lastTsMicros += 100;
        return String.format("%d.%06d", lastTsMicros / 1_000_000, lastTsMicros % 1_000_000);
    }

    private static ObjectNode messageJson(SlackMessage message) {
        ObjectNode json = JSON.createObjectNode();
        json.put("type", "message");
        json.put("user", BOT_USER_ID);
        json.put("bot_id", BOT_ID);
        json.put("text", message.text() == null ? "" : message.text());
        json.put("ts", message.ts());
        if (message.threadTs() != null) {
            json.put("thread_ts", message.threadTs());
        }
        if (message.blocks() != null) {
            json.set("blocks", message.blocks().deepCopy());
        }
        return json;
    }

    private static Optional<JsonNode> parseBlocks(String blocks) throws JsonProcessingException {
        if (isBlank(blocks)) {
            return Optional.empty();
        }
        JsonNode parsed = JSON.readTree(blocks);
        if (!parsed.isArray()) {
            throw new JsonProcessingException("blocks must be a JSON array") {
            };
        }
        return Optional.of(parsed);
    }

    private static Map<String, String> parseJsonObject(String body) throws JsonProcessingException {
        JsonNode root = JSON.readTree(body.isBlank() ? "{}" : body);
        if (!root.isObject()) {
            throw new IllegalArgumentException("JSON body must be an object");
        }
        Map<String, String> params = new LinkedHashMap<>();
        root.fields().forEachRemaining(field -> {
            JsonNode value = field.getValue();
            if (!value.isNull()) {
                params.put(field.getKey(), value.isContainerNode() ? value.toString() : value.asText());
            }
        });
        return params;
    }

    private static Map<String, String> parseForm(String encoded) {
        Map<String, String> params = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return params;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            params.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return params;
    }

    private static String bearerToken(HttpExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        return null;
    }

    private static String key(String channel, String ts) {
        return channel + ' ' + ts;
    }

    private static ObjectNode okBody() {
        return JSON.createObjectNode().put("ok", true);
    }

    private static Reply ok(ObjectNode body) {
        return new Reply(200, body, Map.of());
    }

    private static ObjectNode errorBody(String error) {
        return JSON.createObjectNode().put("ok", false).put("error", error);
    }

    private static Reply notOk(String error) {
        return new Reply(200, errorBody(error), Map.of());
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private static String blankToNull(String value) {
        return isBlank(value) ? null : value;
    }
}
