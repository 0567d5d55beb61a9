package dev.deploybot.slack;

import com.slack.api.bolt.request.RequestHeaders;
import com.slack.api.bolt.util.SlackRequestParser;
import dev.deploybot.config.SlackSettings;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
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
 * Slack's one door in over HTTP. Verifies the signature over the raw bytes before anything else looks at the
 * request, then hands it to {@link SlackDispatch}. Blocking executor: Bolt's API is synchronous.
 */
@Controller("/slack/events")
@Requires(property = "deploybot.slack.http-enabled", notEquals = "false")
public class SlackEventsController {
    private static final Logger LOG = LoggerFactory.getLogger(SlackEventsController.class);
    private final SlackDispatch dispatch;
    private final SlackSignature signature;

    SlackEventsController(SlackDispatch dispatch, SlackSettings settings, Clock clock) {
        this.dispatch = dispatch;
        this.signature = new SlackSignature(settings.getSigningSecret(), clock);
    }

    @Post(consumes = {MediaType.APPLICATION_FORM_URLENCODED, MediaType.APPLICATION_JSON}, produces = MediaType.APPLICATION_JSON)
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<String> handle(HttpRequest<?> request, @Nullable @Body byte[] body) {
        byte[] bytes = body == null ? new byte[0] : body;
        String problem = signature.problemWith(request.getHeaders().get("X-Slack-Request-Timestamp"),
                request.getHeaders().get("X-Slack-Signature"), bytes);
        if (problem != null) {
            LOG.warn("refused a request to /slack/events from {}: {}", request.getRemoteAddress(), problem);
            return HttpResponse.unauthorized();
        }
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        request.getHeaders().forEach(headers::put);
        SlackDispatch.Answer answer = dispatch.dispatch(SlackRequestParser.HttpRequest.builder()
                .requestUri(request.getPath())
                .queryString(request.getParameters().asMap())
                .headers(new RequestHeaders(headers))
                .requestBody(new String(bytes, StandardCharsets.UTF_8))
                .remoteAddress(request.getRemoteAddress().getHostString())
                .build());
        MutableHttpResponse<String> reply = HttpResponse.<String>status(HttpStatus.valueOf(answer.status())).body(answer.body());
        if (answer.contentType() != null) {
            reply.contentType(answer.contentType());
        }
        return reply;
    }
}
