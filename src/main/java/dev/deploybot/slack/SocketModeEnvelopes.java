package dev.deploybot.slack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.slack.api.bolt.App;
import com.slack.api.bolt.socket_mode.request.SocketModeRequest;
import com.slack.api.bolt.socket_mode.request.SocketModeRequestParser;
import dev.deploybot.core.AuditEntry;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The door for Socket Mode, with the policy {@link SlackDispatch} applies over HTTP: what cannot be read (not JSON,
 * a payload of the wrong shape, missing fields, an envelope type the bot does not take) touches nothing and is
 * acked with its {@code envelope_id} alone (the socket's 400: Slack does not send it again); what Bolt handles is
 * acked with its answer. Nothing from a message reaches a log line beyond its size and kind.
 */
@Singleton
class SocketModeEnvelopes {
    private static final Logger LOG = LoggerFactory.getLogger(SocketModeEnvelopes.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Slack's envelope ids are UUIDs; the id is echoed back, so nothing longer or stranger is. */
    private static final Pattern ENVELOPE_ID = Pattern.compile("[A-Za-z0-9_.-]{1,100}");
    private final SlackDispatch dispatch;
    private final SocketModeRequestParser parser;

    SocketModeEnvelopes(SlackDispatch dispatch, App app) {
        this.dispatch = dispatch;
        this.parser = new SocketModeRequestParser(app.config());
    }

    /** What to send back for one message from the socket; empty when there is nothing to ack (hello, disconnect). */
    Optional<String> answer(String message) {
        JsonNode envelope;
        try {
            envelope = JSON.readTree(message);
        } catch (JsonProcessingException notJson) {
            LOG.warn("ignored a Socket Mode message that is not JSON ({} characters)", message.length());
            return Optional.empty();
        }
        String envelopeId = envelope.path("envelope_id").asText("");
        if (envelopeId.isEmpty()) {
            return Optional.empty();
        }
        if (!ENVELOPE_ID.matcher(envelopeId).matches()) {
            LOG.warn("ignored a Socket Mode envelope whose id is not one Slack makes ({} characters)", envelopeId.length());
            return Optional.empty();
        }
        SocketModeRequest request;
        try {
            request = parser.parse(message);
        } catch (RuntimeException unreadable) {
            LOG.warn("refused a Socket Mode envelope that cannot be read: {}", AuditEntry.cut(unreadable.getClass().getSimpleName(), 100));
            return Optional.of(ack(envelopeId));
        }
        if (request == null) {
            LOG.warn("refused a Socket Mode envelope of a type deploybot does not take ({} characters)", message.length());
            return Optional.of(ack(envelopeId));
        }
        SlackDispatch.Answer answer = dispatch.run(request.getBoltRequest());
        if (answer.status() != 200) {
            return Optional.of(ack(envelopeId));
        }
        return Optional.of(ack(envelopeId, answer));
    }

    private static String ack(String envelopeId) {
        return JSON.createObjectNode().put("envelope_id", envelopeId).toString();
    }

    /** As Bolt's Socket Mode adapter answers: a JSON body as the payload, any other text as {@code {"text": …}}. */
    private static String ack(String envelopeId, SlackDispatch.Answer answer) {
        if (answer.body().isEmpty()) {
            return ack(envelopeId);
        }
        ObjectNode ack = JSON.createObjectNode().put("envelope_id", envelopeId);
        if (answer.contentType() != null && answer.contentType().startsWith("application/json")) {
            try {
                ack.set("payload", JSON.readTree(answer.body()));
                return ack.toString();
            } catch (JsonProcessingException ours) {
                LOG.warn("a handler answered JSON that is not JSON; answered as text");
            }
        }
        ack.putObject("payload").put("text", answer.body());
        return ack.toString();
    }
}
