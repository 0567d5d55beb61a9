package dev.deploybot.slack;

import com.slack.api.bolt.App;
import com.slack.api.bolt.request.Request;
import com.slack.api.bolt.request.RequestHeaders;
import com.slack.api.bolt.response.Response;
import com.slack.api.bolt.util.SlackRequestParser;
import dev.deploybot.config.SlackSettings;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Slack's one door in. Verifies the signature over the raw bytes before anything else looks at the
 * request, then lets Bolt parse and route. Blocking executor: Bolt's API is synchronous.
 */
@Controller("/slack/events")
@Requires(property = "deploybot.slack.http-enabled", notEquals = "false")
public class SlackEventsController {
    private static final Logger LOG = LoggerFactory.getLogger(SlackEventsController.class);
    private final App app;
    private final SlackRequestParser parser;
    private final SlackSignature signature;

    public SlackEventsController(App app, SlackSettings settings, Clock clock) {
        this.app = app;
        this.parser = new SlackRequestParser(app.config());
        this.signature = new SlackSignature(settings.getSigningSecret(), clock);
    }

    @Post(consumes = {MediaType.APPLICATION_FORM_URLENCODED, MediaType.APPLICATION_JSON}, produces = MediaType.APPLICATION_JSON)
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<String> handle(HttpRequest<?> request, @Body byte[] body) throws Exception {
        String problem = signature.problemWith(request.getHeaders().get("X-Slack-Request-Timestamp"),
                request.getHeaders().get("X-Slack-Signature"), body);
        if (problem != null) {
            LOG.warn("refused a request to /slack/events from {}: {}", request.getRemoteAddress(), problem);
            return HttpResponse.unauthorized();
        }
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        request.getHeaders().forEach((name, values) -> headers.put(name, values));
        Request<?> slackRequest = parser.parse(SlackRequestParser.HttpRequest.builder()
                .requestUri(request.getPath())
                .queryString(request.getParameters().asMap())
                .headers(new RequestHeaders(headers))
                .requestBody(new String(body, StandardCharsets.UTF_8))
                .remoteAddress(request.getRemoteAddress().getHostString())
                .build());
        if (slackRequest == null) {
            return HttpResponse.badRequest("{\"error\":\"not a Slack request\"}");
        }
        Response response = app.run(slackRequest);
        MutableHttpResponse<String> reply = HttpResponse.<String>status(io.micronaut.http.HttpStatus.valueOf(response.getStatusCode()))
                .body(response.getBody() == null ? "" : response.getBody());
        if (response.getContentType() != null) {
            reply.contentType(response.getContentType());
        }
        return reply;
    }
}
