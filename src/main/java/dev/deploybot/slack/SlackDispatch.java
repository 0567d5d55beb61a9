package dev.deploybot.slack;

import com.slack.api.bolt.App;
import com.slack.api.bolt.request.Request;
import com.slack.api.bolt.response.Response;
import com.slack.api.bolt.util.SlackRequestParser;
import dev.deploybot.core.AuditEntry;
import dev.deploybot.core.SomeoneWaiting;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parse, then dispatch, one Slack request whose origin is already proven (a signature over HTTP; over Socket
 * Mode, {@link SocketModeEnvelopes} parses the envelope and reuses {@link #run}). What Bolt cannot read, or reads into the wrong shape, is a 400
 * with a short plain sentence: a signed request never gets a 5xx, and no exception text, class name or
 * internal detail ever reaches a response body.
 */
@Singleton
class SlackDispatch {
    private static final Logger LOG = LoggerFactory.getLogger(SlackDispatch.class);
    private final App app;
    private final SlackRequestParser parser;

    SlackDispatch(App app) {
        this.app = app;
        this.parser = new SlackRequestParser(app.config());
    }

    /** What goes back to Slack. */
    record Answer(int status, String contentType, String body) {
        static Answer badRequest(String sentence) {
            return new Answer(400, "application/json", "{\"error\":\"" + sentence + "\"}");
        }
    }

    Answer dispatch(SlackRequestParser.HttpRequest raw) {
        Request<?> request;
        try {
            request = parser.parse(raw);
        } catch (RuntimeException unreadable) {
            // Bad %-escapes, payload= that is not JSON, JSON of the wrong shape: the sender's mistake, not ours.
            LOG.warn("refused a signed Slack request that cannot be read: {}", AuditEntry.cut(unreadable.toString(), 200));
            return Answer.badRequest("deploybot cannot read this request");
        }
        if (request == null) {
            LOG.warn("refused a signed request that is no kind of Slack request ({} bytes)", raw.getRequestBody().length());
            return Answer.badRequest("not a Slack request");
        }
        return run(request);
    }

    /**
     * Runs the request as answering someone who waits ({@link SomeoneWaiting}): Slack shows the person nothing until
     * this answer, whether the request came over HTTP or over the socket, so the database is waited for only briefly.
     */
    Answer run(Request<?> request) {
        return SomeoneWaiting.forTheAnswerOf(() -> answer(request));
    }

    private Answer answer(Request<?> request) {
        Response response;
        try {
            response = app.run(request);
        } catch (Exception e) {
            // Handlers answer their own failures (AfterAck); what escapes comes from reading a payload of the wrong shape.
            LOG.warn("refused a signed {} request deploybot could not handle: {}", request.getRequestType(),
                    AuditEntry.cut(e.toString(), 200));
            return Answer.badRequest("deploybot cannot handle this request");
        }
        if (response.getStatusCode() >= 500) {
            LOG.warn("Bolt answered {} to a signed {} request; answering 400", response.getStatusCode(), request.getRequestType());
            return Answer.badRequest("deploybot cannot handle this request");
        }
        return new Answer(response.getStatusCode(), response.getContentType(), response.getBody() == null ? "" : response.getBody());
    }
}
