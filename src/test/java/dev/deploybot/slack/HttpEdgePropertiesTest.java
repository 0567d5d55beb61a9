package dev.deploybot.slack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.JsonNode;
import dev.deploybot.testing.DeploybotApp;
import dev.deploybot.testing.EventRequests;
import dev.deploybot.testing.FakeAws;
import dev.deploybot.testing.FakeSlack;
import dev.deploybot.testing.SlackRequests;
import dev.deploybot.core.AuditEntry;
import dev.deploybot.core.AuditTrail;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever a correctly signed sender (or a sender with the events API key) throws at the real HTTP edge, the
 * answer is 200 or 4xx with no internal detail in it, and the bot still answers {@code /deploy help} afterwards.
 * 10,000 generated Slack requests and 5,000 generated events, against one running application.
 */
class HttpEdgePropertiesTest {
    private static final String KEY = "edge-events-key-" + "0123456789abcdef";
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What must never reach a response body: exception text, stack frames, SQL and framework internals. */
    private static final List<String> INTERNALS = List.of("Exception", "\tat ", "java.", "javax.", "jakarta.", "org.h2",
            "SQLState", "SQL statement", "io.micronaut", "io.netty", "com.slack.api", "com.google", "BEGIN_ARRAY",
            "BEGIN_OBJECT", "Caused by", "ThreadPoolExecutor", "dev.deploybot");
    private static final List<String> WORDS = List.of("stg", "prd", "STG", "rollback", "lock", "unlock", "help", "main",
            "v1.2.3", "feature/x", "1", "-1", "99999999999", "0", "..", "%", "&", "<!channel>", "\u202e", "\u0000", "\n", " ");
    private static final List<String> ACTIONS = List.of(ReleaseViews.APPROVE, ReleaseViews.REJECT, ReleaseViews.CANCEL,
            ReleaseViews.ROLL_BACK, EventViews.RETRY, EventViews.REQUEST_RELEASE, "unknown_action", "");
    private static final List<String> PAYLOAD_TYPES = List.of("block_actions", "view_submission", "view_closed", "shortcut",
            "message_action", "block_suggestion", "interactive_message", "dialog_submission", "dialog_cancellation",
            "dialog_suggestion", "workflow_step_edit", "attachment_action", "", "nonsense");
    private static final List<String> DETAIL_TYPES = List.of("CodeBuild Build State Change", "CodeBuild Build Phase Change",
            "ECR Image Action", "ECS Deployment State Change", "CodeDeploy Deployment State-change Notification",
            "EC2 Instance State-change Notification");

    private static FakeSlack slack;
    private static FakeAws aws;
    private static DeploybotApp app;
    private static SlackRequests signed;
    private static EventRequests events;
    private static URI slackEvents;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeContainer
    static void start() {
        slack = FakeSlack.start();
        aws = FakeAws.start();
        aws.codeBuild().createProject("app-stg");
        aws.ecr().createRepository("app", false);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("deploybot.environments.stg.channel", "C0STG");
        config.put("deploybot.environments.stg.build.project", "app-stg");
        config.put("deploybot.environments.prd.channel", "C0PRD");
        config.put("deploybot.environments.prd.release.repository", "app");
        config.put("deploybot.environments.prd.release.approvers", List.of("U0LEAD"));
        config.put("deploybot.environments.prd.deploy.strategy", "ecs");
        config.put("deploybot.environments.prd.deploy.cluster", "prod");
        config.put("deploybot.environments.prd.deploy.service", "web");
        config.put("deploybot.events.http.api-key", KEY);
        app = DeploybotApp.start(slack, aws, config);
        signed = app.slack();
        events = new EventRequests(app.url());
        slackEvents = signed.eventsUri();
    }

    @AfterContainer
    static void stop() {
        app.close();
        aws.close();
        slack.close();
    }

    @AfterProperty
    void theBotStillAnswersHelp() {
        HttpResponse<String> help = signed.slashCommand("U0HELP", "C0STG", "/deploy", "help");
        assertThat(help.statusCode()).isEqualTo(200);
        assertThat(help.body()).contains("build and ship from Slack", "`stg`", "`prd`");
    }

    @Property(tries = 4000, shrinking = ShrinkingMode.OFF)
    void slashCommandsWithAnyFieldsAndLengths(@ForAll Random random) {
        Map<String, String> form = new LinkedHashMap<>();
        maybe(random, form, "token", SlackRequests.VERIFICATION_TOKEN);
        maybe(random, form, "team_id", pick(random, List.of(SlackRequests.TEAM_ID, text(random, 40))));
        maybe(random, form, "channel_id", pick(random, List.of("C0STG", "C0PRD", "D0DM", text(random, 80))));
        maybe(random, form, "user_id", pick(random, List.of("U0DEV", "U0LEAD", "W0ENT", text(random, 40))));
        maybe(random, form, "command", pick(random, List.of("/deploy", "/deploy", "/other", text(random, 20))));
        maybe(random, form, "text", commandText(random));
        maybe(random, form, "response_url", SlackRequests.DEFAULT_RESPONSE_URL);
        maybe(random, form, "trigger_id", pick(random, List.of(SlackRequests.newTriggerId(), text(random, 300))));
        if (random.nextInt(5) == 0) {
            form.put(text(random, 10), text(random, 100));
        }
        assertSafe(sendSigned(formEncode(form), FORM, Map.of()));
    }

    @Property(tries = 3500, shrinking = ShrinkingMode.OFF)
    void interactionPayloadsOfEveryTypeAndShape(@ForAll Random random) {
        String payload = switch (random.nextInt(4)) {
            case 0 -> blockActions(random).toString();
            case 1 -> {
                ObjectNode other = randomObject(random, 3);
                other.put("type", pick(random, PAYLOAD_TYPES));
                yield other.toString();
            }
            case 2 -> wrongShape(random);
            default -> text(random, 300);
        };
        String body = random.nextInt(10) == 0 ? "payload=" + payload : "payload=" + URLEncoder.encode(payload, StandardCharsets.UTF_8);
        assertSafe(sendSigned(body, FORM, Map.of()));
    }

    @Property(tries = 2500, shrinking = ShrinkingMode.OFF)
    void garbageBodiesBadEscapesAndFalseEncodings(@ForAll Random random) {
        switch (random.nextInt(6)) {
            case 0 -> assertSafe(sendSigned(text(random, 500), pick(random, List.of(FORM, "application/json")), Map.of()));
            case 1 -> assertSafe(sendSigned(badEscapes(random), FORM, Map.of()));
            case 2 -> assertSafe(sendSigned(randomObject(random, 3).put("type", pick(random,
                    List.of("event_callback", "url_verification", "app_rate_limited", "block_actions", text(random, 20)))).toString(),
                    "application/json", Map.of()));
            case 3 -> assertSafe(sendSigned(formEncode(Map.of("command", "/deploy", "text", "help")), FORM,
                    Map.of("Content-Encoding", pick(random, List.of("gzip", "deflate", "br", "x-nonsense")))));
            case 4 -> assertSafe(sendSigned("ssl_check=" + text(random, 5) + "&token=" + text(random, 5), FORM, Map.of()));
            default -> assertSafe(sendSigned("", pick(random, List.of(FORM, "application/json")), Map.of()));
        }
    }

    @Property(tries = 5000, shrinking = ShrinkingMode.OFF)
    void eventsWithTheApiKey(@ForAll Random random) {
        String body = random.nextInt(8) == 0 ? text(random, 300) : event(random).toString();
        HttpResponse<String> response = events.post(body, KEY);
        assertSafe(response);
    }

    @Example
    void aTooLongEnvironmentNameIsRefusedPrivatelyAndAuditedCutToSize() {
        String name = "e".repeat(65);
        HttpResponse<String> answer = signed.slashCommand("U0LONG", "C0STG", "/deploy", name + " main");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("at most 64 characters").doesNotContain("in_channel");
        AuditEntry refusal = audited("U0LONG");
        assertThat(refusal.outcome()).isEqualTo("refused");
        assertThat(refusal.environment()).hasSize(64).startsWith("e".repeat(63)).endsWith("…");
    }

    @Example
    void aTooLongLockReasonIsRefusedPrivatelyAndAuditedCutToSize() {
        String reason = "because ".repeat(600);
        HttpResponse<String> answer = signed.slashCommand("U0LOCKER", "C0PRD", "/deploy", "lock prd " + reason);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("at most 300 characters");
        AuditEntry refusal = audited("U0LOCKER");
        assertThat(refusal.environment()).isEqualTo("prd");
        assertThat(refusal.detail()).hasSize(AuditEntry.MAX_DETAIL).startsWith("arguments longer than 300 characters: because");
        assertThat(app.bean(AuditTrail.class).recent(200)).as("prd was not locked")
                .noneMatch(entry -> "U0LOCKER".equals(entry.actor()) && entry.outcome().equals("locked"));
    }

    private static AuditEntry audited(String actor) {
        return app.bean(AuditTrail.class).recent(200).stream().filter(entry -> actor.equals(entry.actor())).findFirst().orElseThrow();
    }

    // ---- generators ----

    private static String commandText(Random random) {
        int words = random.nextInt(5);
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < words; i++) {
            parts.add(random.nextInt(3) == 0 ? text(random, random.nextInt(4) == 0 ? 700 : 70) : pick(random, WORDS));
        }
        return String.join(pick(random, List.of(" ", "  ", "\t", "\u00a0")), parts);
    }

    private static ObjectNode blockActions(Random random) {
        ObjectNode payload = JSON.createObjectNode();
        payload.put("type", "block_actions");
        if (random.nextInt(6) > 0) {
            payload.putObject("user").put("id", pick(random, List.of("U0DEV", "U0LEAD", text(random, 30))))
                    .put("team_id", SlackRequests.TEAM_ID);
        }
        if (random.nextInt(6) > 0) {
            payload.putObject("channel").put("id", pick(random, List.of("C0STG", "C0PRD", text(random, 60))));
        }
        if (random.nextInt(6) > 0) {
            payload.putObject("team").put("id", SlackRequests.TEAM_ID);
        }
        payload.put("trigger_id", text(random, 40));
        if (random.nextInt(6) > 0) {
            ArrayNode actions = payload.putArray("actions");
            for (int i = random.nextInt(3); i >= 0; i--) {
                ObjectNode action = actions.addObject();
                action.put("action_id", pick(random, ACTIONS));
                action.put("type", pick(random, List.of("button", "static_select", text(random, 10))));
                action.put("value", pick(random, List.of(UUID.randomUUID().toString(), "stg", "prd",
                        "app-stg:" + UUID.randomUUID(), text(random, random.nextInt(4) == 0 ? 2000 : 60))));
                if (random.nextBoolean()) {
                    action.set("extra", randomValue(random, 2));
                }
            }
        }
        return payload;
    }

    private static String wrongShape(Random random) {
        ObjectNode payload = JSON.createObjectNode();
        payload.put("type", pick(random, PAYLOAD_TYPES));
        String field = pick(random, List.of("actions", "user", "channel", "team", "view", "container", "message", "state"));
        payload.set(field, randomValue(random, 2));
        return payload.toString();
    }

    private static ObjectNode event(Random random) {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "0");
        maybe(random, event, "id", pick(random, List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString(), text(random, 200))));
        maybe(random, event, "detail-type", pick(random, List.of(pick(random, DETAIL_TYPES), pick(random, DETAIL_TYPES),
                text(random, random.nextBoolean() ? 300 : 40))));
        maybe(random, event, "source", pick(random, List.of("aws.codebuild", "aws.ecr", "aws.ecs", "aws.codedeploy", text(random, 30))));
        event.put("account", "123456789012");
        maybe(random, event, "time", pick(random, List.of(Instant.now().toString(), text(random, 30), "2024-13-45T99:00:00Z")));
        event.put("region", "eu-west-1");
        ArrayNode resources = event.putArray("resources");
        for (int i = random.nextInt(3); i > 0; i--) {
            resources.add(text(random, random.nextBoolean() ? 700 : 60));
        }
        if (random.nextInt(8) > 0) {
            event.set("detail", random.nextBoolean() ? codeBuildDetail(random) : randomObject(random, 3));
        } else {
            event.set("detail", randomValue(random, 1));
        }
        return event;
    }

    private static ObjectNode codeBuildDetail(Random random) {
        ObjectNode detail = JSON.createObjectNode();
        maybe(random, detail, "build-status", pick(random, List.of("IN_PROGRESS", "SUCCEEDED", "FAILED", "STOPPED", text(random, 30))));
        maybe(random, detail, "project-name", pick(random, List.of("app-stg", "app-ci", text(random, 300))));
        maybe(random, detail, "build-id", pick(random, List.of("arn:aws:codebuild:eu-west-1:123456789012:build/app-stg:" + UUID.randomUUID(),
                text(random, 600))));
        maybe(random, detail, "current-phase", pick(random, List.of("BUILD", "COMPLETED", text(random, 40))));
        maybe(random, detail, "current-phase-context", pick(random, List.of("[: ]", "[]", text(random, 200))));
        if (random.nextBoolean()) {
            detail.set("additional-information", randomObject(random, 2));
        }
        return detail;
    }

    private static ObjectNode randomObject(Random random, int depth) {
        ObjectNode node = JSON.createObjectNode();
        for (int i = random.nextInt(5); i > 0; i--) {
            node.set(random.nextBoolean() ? pick(random, List.of("type", "user", "actions", "id", "value", "view", "team",
                    "channel", "build-id", "text")) : text(random, 12), randomValue(random, depth - 1));
        }
        return node;
    }

    private static JsonNode randomValue(Random random, int depth) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        int kind = random.nextInt(depth > 0 ? 8 : 6);
        return switch (kind) {
            case 0 -> nodes.nullNode();
            case 1 -> nodes.booleanNode(random.nextBoolean());
            case 2 -> nodes.numberNode(random.nextLong());
            case 3 -> nodes.numberNode(random.nextDouble() * 1e6);
            case 4, 5 -> nodes.textNode(text(random, 80));
            case 6 -> {
                ArrayNode array = nodes.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    array.add(randomValue(random, depth - 1));
                }
                yield array;
            }
            default -> randomObject(random, depth - 1);
        };
    }

    private static String badEscapes(Random random) {
        String escape = pick(random, List.of("%", "%z", "%zz", "%4", "%%41", "%u0041", "%C3", "%FF%FE", "%E2%82"));
        return pick(random, List.of("text=", "payload=", "command=%2Fdeploy&text=", "", "payload=%7B%22type%22")) + escape
                + text(random, 20) + (random.nextBoolean() ? "&user_id=U0DEV&channel_id=C0STG&command=%2Fdeploy" : "");
    }

    /** Any characters, sometimes ASCII only, up to {@code max} long; never the markers in {@link #INTERNALS}. */
    private static String text(Random random, int max) {
        int length = random.nextInt(max + 1);
        StringBuilder text = new StringBuilder(length);
        boolean ascii = random.nextBoolean();
        for (int i = 0; i < length; i++) {
            text.append(ascii ? (char) (32 + random.nextInt(95)) : (char) random.nextInt(0x3000));
        }
        return text.toString();
    }

    private static <T> T pick(Random random, List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    private static void maybe(Random random, Map<String, String> form, String key, String value) {
        if (random.nextInt(12) > 0) {
            form.put(key, value);
        }
    }

    private static void maybe(Random random, ObjectNode node, String key, String value) {
        if (random.nextInt(12) > 0) {
            node.put(key, value);
        }
    }

    // ---- HTTP ----

    private static HttpResponse<String> sendSigned(String body, String contentType, Map<String, String> headers) {
        long now = Instant.now().getEpochSecond();
        HttpRequest.Builder request = HttpRequest.newBuilder(slackEvents).timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType)
                .header("X-Slack-Request-Timestamp", Long.toString(now))
                .header("X-Slack-Signature", SlackRequests.sign(DeploybotApp.SIGNING_SECRET, now, body))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(request::header);
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void assertSafe(HttpResponse<String> response) {
        assertThat(response.statusCode()).as("status, body %s", response.body()).isBetween(200, 499);
        assertThat(response.body()).doesNotContain(INTERNALS);
    }

    private static String formEncode(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
