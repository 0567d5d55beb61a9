package dev.deploybot.bare;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.request.Request;
import com.slack.api.bolt.request.RequestHeaders;
import com.slack.api.bolt.response.Response;
import com.slack.api.bolt.util.SlackRequestParser;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What bolt-micronaut's {@code SlackAppController} does, and nothing more: Bolt with its default middleware
 * (its own signature check, and {@code auth.test} on the first request) and one command that acks.
 */
@Controller("/slack/events")
public class BareSlackController {
    private final App app;
    private final SlackRequestParser parser;

    BareSlackController() {
        SlackConfig slackConfig = new SlackConfig();
        slackConfig.setMethodsEndpointUrlPrefix(System.getenv().getOrDefault("SLACK_API_URL", "https://slack.com/api/"));
        AppConfig config = AppConfig.builder()
                .slack(Slack.getInstance(slackConfig))
                .singleTeamBotToken(System.getenv("SLACK_BOT_TOKEN"))
                .signingSecret(System.getenv("SLACK_SIGNING_SECRET"))
                .build();
        this.app = new App(config);
        app.command("/deploy", (request, context) -> context.ack());
        this.parser = new SlackRequestParser(config);
    }

    @Post(consumes = {MediaType.APPLICATION_FORM_URLENCODED, MediaType.APPLICATION_JSON}, produces = MediaType.APPLICATION_JSON)
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<String> events(HttpRequest<?> request, @Nullable @Body String body) throws Exception {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        request.getHeaders().forEach(headers::put);
        Request<?> slackRequest = parser.parse(SlackRequestParser.HttpRequest.builder()
                .requestUri(request.getPath())
                .queryString(request.getParameters().asMap())
                .headers(new RequestHeaders(headers))
                .requestBody(body == null ? "" : body)
                .remoteAddress(request.getRemoteAddress().getHostString())
                .build());
        Response response = app.run(slackRequest);
        return HttpResponse.<String>status(HttpStatus.valueOf(response.getStatusCode()))
                .body(response.getBody())
                .contentType(response.getContentType() == null ? MediaType.APPLICATION_JSON : response.getContentType());
    }
}
