package dev.deploybot.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * The bot with a terminal in place of Slack ({@code java -jar deploybot.jar console}): what the operator types
 * goes to the bot as the signed requests Slack would send, to the same {@code /slack/events}, handlers, store,
 * rules and AWS; what the bot posts comes back through its Slack client to {@link ConsoleSlack}, which prints it.
 * No Slack token: the console makes up a bot token and signing secret for this run only.
 */
public final class Console {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String HELP = """
            Type what you would type in Slack, or a console command:
              /deploy stg main · /deploy prd <note> · /deploy rollback prd · /deploy help
              approve · reject · cancel · retry · click <button label>   (the newest message offering it)
              as <user id>       act as someone else, e.g. as U0LEAD, to try the approval rules
              in <channel id>    type in another channel
              quit""";

    private final PrintStream out;
    private final ConsoleSlack slack;
    private final ApplicationContext context;
    private final String signingSecret;
    private final HttpClient http = HttpClient.newHttpClient();
    private String user;
    private String channel;

    private Console(PrintStream out, ConsoleSlack slack, ApplicationContext context, String signingSecret,
                    String user, String channel) {
        this.out = out;
        this.slack = slack;
        this.context = context;
        this.signingSecret = signingSecret;
        this.user = user;
        this.channel = channel;
    }

    /**
     * Starts the bot with {@code launcher} (given the console's own properties) and reads commands until
     * {@code quit} or the end of {@code in}.
     *
     * @param user     who types at first (a Slack user id; {@code as} changes it)
     * @param channel  where they type at first ({@code in} changes it)
     * @param settings properties for the bot on top of the operator's file (tests point it at fakes)
     */
    public static void run(InputStream in, PrintStream out, String user, String channel, Map<String, Object> settings,
                           BiFunction<String[], Map<String, Object>, ApplicationContext> launcher) throws IOException {
        ConsoleSlack slack = new ConsoleSlack(out);
        String signingSecret = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        Map<String, Object> properties = new HashMap<>(settings);
        properties.put("deploybot.slack.api-url", slack.apiUrl());
        properties.put("deploybot.slack.bot-token", "xoxb-console-only");
        properties.put("deploybot.slack.signing-secret", signingSecret);
        properties.put("deploybot.slack.app-token", "");
        properties.put("micronaut.server.host", "127.0.0.1");
        properties.putIfAbsent("micronaut.server.port", -1);
        try (slack; ApplicationContext context = launcher.apply(new String[0], properties)) {
            Console console = new Console(out, slack, context, signingSecret, user, channel);
            out.println("deploybot console: you are " + user + " in " + channel + ". " + HELP);
            console.read(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        }
    }

    private void read(BufferedReader in) throws IOException {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String typed = line.strip();
            if (typed.equals("quit") || typed.equals("exit")) {
                return;
            }
            if (!typed.isEmpty()) {
                handle(typed);
            }
        }
    }

    private void handle(String typed) {
        String[] words = typed.split("\\s+", 2);
        String rest = words.length > 1 ? words[1] : "";
        switch (words[0]) {
            case "as" -> {
                user = rest.isBlank() ? user : rest.strip();
                out.println("you are now " + user);
            }
            case "in" -> {
                channel = rest.isBlank() ? channel : rest.strip();
                out.println("you now type in " + channel);
            }
            case "approve", "reject", "cancel", "retry" -> click(words[0]);
            case "click" -> click(rest.strip());
            case "rollback" -> command("/deploy", "rollback " + rest);
            case "help", "?" -> out.println(HELP);
            default -> {
                if (words[0].startsWith("/")) {
                    command(words[0], rest);
                } else {
                    out.println("not understood: " + typed + "\n" + HELP);
                }
            }
        }
    }

    private void command(String command, String text) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("token", "console");
        form.put("team_id", ConsoleSlack.TEAM);
        form.put("team_domain", "console");
        form.put("channel_id", channel);
        form.put("channel_name", channel.toLowerCase());
        form.put("user_id", user);
        form.put("user_name", user.toLowerCase());
        form.put("command", command);
        form.put("text", text.strip());
        form.put("api_app_id", "A0CONSOLE");
        form.put("is_enterprise_install", "false");
        form.put("response_url", slack.responseUrl());
        form.put("trigger_id", "console." + System.nanoTime());
        String body = form.entrySet().stream()
                .map(entry -> entry.getKey() + "=" + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        showAnswer(send(body));
    }

    private void click(String label) {
        Optional<Map.Entry<ConsoleSlack.Message, JsonNode>> found = slack.newestButton(label);
        if (found.isEmpty()) {
            out.println("no message offers " + label);
            return;
        }
        ConsoleSlack.Message message = found.get().getKey();
        JsonNode button = found.get().getValue();
        if (button.has("confirm")) {
            out.println("(" + user + " confirms: " + ConsoleSlack.readable(button.path("confirm").path("text").path("text").asText()) + ")");
        }
        ObjectNode payload = JSON.createObjectNode();
        payload.put("type", "block_actions");
        payload.putObject("user").put("id", user).put("username", user.toLowerCase()).put("name", user.toLowerCase())
                .put("team_id", ConsoleSlack.TEAM);
        payload.put("api_app_id", "A0CONSOLE");
        payload.put("token", "console");
        payload.putObject("container").put("type", "message").put("message_ts", message.ts())
                .put("channel_id", message.channel()).put("is_ephemeral", false);
        payload.put("trigger_id", "console." + System.nanoTime());
        payload.putObject("team").put("id", ConsoleSlack.TEAM).put("domain", "console");
        payload.putObject("channel").put("id", message.channel()).put("name", message.channel().toLowerCase());
        payload.putObject("message").put("type", "message").put("ts", message.ts()).put("text", message.text())
                .put("user", ConsoleSlack.BOT_USER);
        payload.put("response_url", slack.responseUrl());
        ObjectNode action = payload.putArray("actions").addObject();
        action.put("action_id", button.path("action_id").asText());
        action.put("block_id", "console");
        action.set("text", button.path("text"));
        action.put("value", button.path("value").asText());
        action.put("type", "button");
        action.put("action_ts", Instant.now().getEpochSecond() + ".000100");
        showAnswer(send("payload=" + URLEncoder.encode(payload.toString(), StandardCharsets.UTF_8)));
    }

    private HttpResponse<String> send(String body) {
        long timestamp = Instant.now().getEpochSecond();
        URI events = context.getBean(EmbeddedServer.class).getURI().resolve("/slack/events");
        HttpRequest request = HttpRequest.newBuilder(events)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Slack-Request-Timestamp", Long.toString(timestamp))
                .header("X-Slack-Signature", sign(timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What Slack would show the person who typed: the ack's own text, if it carries one. */
    private void showAnswer(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            out.println("(the bot answered HTTP " + response.statusCode() + ")");
            return;
        }
        if (response.body().isBlank()) {
            return;
        }
        try {
            JsonNode answer = JSON.readTree(response.body());
            if (answer.has("text") || answer.has("blocks")) {
                out.println("(only " + user + " sees this) " + ConsoleSlack.render(answer.path("blocks"), answer.path("text").asText("")).strip());
            }
        } catch (IOException notJson) {
            out.println("(only " + user + " sees this) " + response.body());
        }
    }

    private String sign(long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(signingSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "v0=" + HexFormat.of().formatHex(mac.doFinal(("v0:" + timestamp + ":" + body).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
