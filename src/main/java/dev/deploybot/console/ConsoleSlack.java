package dev.deploybot.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Slack Web API as the console's terminal: the bot's real Slack client posts here (on 127.0.0.1 only)
 * and each message is printed, readably, instead of appearing in a channel. Messages are kept so that a
 * typed "approve" can click the button Slack would have shown.
 */
final class ConsoleSlack implements AutoCloseable {
    static final String TEAM = "T0CONSOLE";
    static final String BOT_USER = "U0DEPLOYBOT";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A message the bot posted, as it stands now. */
    record Message(int number, String channel, String ts, JsonNode blocks, String text) {
    }

    private final HttpServer server;
    private final PrintStream out;
    // Guarded by "this".
    private final Map<String, Message> messages = new LinkedHashMap<>();
    private long lastTs = 1_700_000_000_000_000L;

    ConsoleSlack(PrintStream out) throws IOException {
        this.out = out;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/", this::api);
        server.createContext("/response/", this::responseUrl);
        server.start();
    }

    String apiUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/";
    }

    String responseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/response/";
    }

    /** The newest message that offers a button labelled {@code label} (case does not matter). */
    synchronized Optional<Map.Entry<Message, JsonNode>> newestButton(String label) {
        List<Message> newestFirst = new ArrayList<>(messages.values());
        java.util.Collections.reverse(newestFirst);
        for (Message message : newestFirst) {
            for (JsonNode button : buttons(message.blocks())) {
                if (button.path("text").path("text").asText().equalsIgnoreCase(label)) {
                    return Optional.of(Map.entry(message, button));
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void api(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestURI().getPath().substring("/api/".length());
        Map<String, String> params = params(exchange);
        ObjectNode answer = JSON.createObjectNode().put("ok", true);
        switch (method) {
            case "auth.test" -> answer.put("team_id", TEAM).put("user_id", BOT_USER).put("team", "console").put("user", "deploybot");
            case "chat.postMessage" -> answer.put("channel", params.get("channel")).put("ts", post(params));
            case "chat.update" -> answer.put("channel", params.get("channel")).put("ts", update(params));
            case "chat.postEphemeral" -> {
                print("(only " + params.get("user") + " sees this) " + readable(params.get("text")));
                answer.put("message_ts", nextTs());
            }
            // Approver groups: in the console nobody is in a group; name users as approvers to try the rules.
            case "usergroups.users.list" -> answer.putArray("users");
            default -> answer.put("ok", false).put("error", "unknown_method");
        }
        reply(exchange, answer.toString());
    }

    private void responseUrl(HttpExchange exchange) throws IOException {
        JsonNode body = JSON.readTree(exchange.getRequestBody());
        print("(only you see this) " + render(body.path("blocks"), body.path("text").asText("")));
        reply(exchange, "ok");
    }

    private synchronized String post(Map<String, String> params) throws IOException {
        String ts = nextTs();
        Message message = new Message(messages.size() + 1, params.get("channel"), ts, JSON.readTree(params.getOrDefault("blocks", "[]")),
                params.getOrDefault("text", ""));
        messages.put(params.get("channel") + " " + ts, message);
        String thread = params.get("thread_ts");
        String where = thread == null ? "message " + message.number() : "reply in the thread of message " + number(params.get("channel"), thread);
        print("── " + message.channel() + " · " + where + " ──\n" + render(message.blocks(), message.text()));
        return ts;
    }

    private synchronized String update(Map<String, String> params) throws IOException {
        String key = params.get("channel") + " " + params.get("ts");
        Message old = messages.get(key);
        if (old == null) {
            return params.get("ts");
        }
        Message updated = new Message(old.number(), old.channel(), old.ts(),
                params.containsKey("blocks") ? JSON.readTree(params.get("blocks")) : old.blocks(),
                params.getOrDefault("text", old.text()));
        messages.put(key, updated);
        print("── " + updated.channel() + " · message " + updated.number() + " (updated) ──\n" + render(updated.blocks(), updated.text()));
        return old.ts();
    }

    private String number(String channel, String ts) {
        Message parent = messages.get(channel + " " + ts);
        return parent == null ? ts : Integer.toString(parent.number());
    }

    /** Block Kit as a terminal shows it: sections and context as lines, fields side by side, buttons in brackets. */
    static String render(JsonNode blocks, String fallback) {
        if (blocks == null || !blocks.isArray() || blocks.isEmpty()) {
            return "  " + readable(fallback);
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode block : blocks) {
            switch (block.path("type").asText()) {
                case "header", "section" -> {
                    if (block.has("text")) {
                        text.append("  ").append(readable(block.path("text").path("text").asText())).append('\n');
                    }
                    List<String> fields = new ArrayList<>();
                    block.path("fields").forEach(field -> fields.add(readable(field.path("text").asText())));
                    if (!fields.isEmpty()) {
                        text.append("  ").append(String.join(" │ ", fields)).append('\n');
                    }
                }
                case "context" -> {
                    List<String> parts = new ArrayList<>();
                    block.path("elements").forEach(element -> parts.add(readable(element.path("text").asText())));
                    text.append("  ").append(String.join(" · ", parts)).append('\n');
                }
                case "divider" -> text.append("  ────\n");
                case "actions" -> {
                    List<String> labels = new ArrayList<>();
                    block.path("elements").forEach(element -> labels.add("[ " + element.path("text").path("text").asText() + " ]"));
                    text.append("  ").append(String.join(" ", labels)).append('\n');
                }
                default -> {
                    // images and the like have nothing to show in a terminal
                }
            }
        }
        return text.toString().stripTrailing();
    }

    private static List<JsonNode> buttons(JsonNode blocks) {
        List<JsonNode> buttons = new ArrayList<>();
        for (JsonNode block : blocks) {
            if ("actions".equals(block.path("type").asText())) {
                block.path("elements").forEach(element -> {
                    if ("button".equals(element.path("type").asText())) {
                        buttons.add(element);
                    }
                });
            }
        }
        return buttons;
    }

    /** Slack's mrkdwn references as a person reads them: {@code <@U1>} → @U1, {@code <url|label>} → label (url). */
    static String readable(String mrkdwn) {
        return mrkdwn == null ? "" : mrkdwn
                .replaceAll("<@([A-Z0-9]+)>", "@$1")
                .replaceAll("<#([A-Z0-9]+)(\\|[^>]*)?>", "#$1")
                .replaceAll("<!subteam\\^([A-Z0-9]+)(\\|[^>]*)?>", "@$1")
                .replaceAll("<!date\\^\\d+\\^[^|]*\\|([^>]*)>", "$1")
                .replaceAll("<(https?://[^|>]+)\\|([^>]+)>", "$2 ($1)")
                .replaceAll("<(https?://[^>]+)>", "$1")
                .replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    private synchronized void print(String text) {
        out.println(text);
        out.flush();
    }

    private synchronized String nextTs() {
        lastTs += 100;
        return String.format("%d.%06d", lastTs / 1_000_000, lastTs % 1_000_000);
    }

    private static Map<String, String> params(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> params = new LinkedHashMap<>();
        String type = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
        if (type.startsWith("application/json")) {
            JSON.readTree(body).fields().forEachRemaining(field -> params.put(field.getKey(),
                    field.getValue().isContainerNode() ? field.getValue().toString() : field.getValue().asText()));
            return params;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    private static void reply(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream response = exchange.getResponseBody()) {
            response.write(bytes);
        }
    }
}
