package dev.deploybot.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deploybot.activity.BuildChange;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** What both CodeBuild detail-types say about phases, read the same way. */
final class CodeBuildPhases {
    /** The order CodeBuild runs phases in, to name the one after a completed phase. */
    static final List<String> ORDER = List.of("SUBMITTED", "QUEUED", "PROVISIONING", "DOWNLOAD_SOURCE", "INSTALL",
            "PRE_BUILD", "BUILD", "POST_BUILD", "UPLOAD_ARTIFACTS", "FINALIZING", "COMPLETED");

    private CodeBuildPhases() {
    }

    /** The first phase that ended in anything but SUCCEEDED, with the messages CodeBuild gave for it. */
    static BuildChange.FailedPhase firstFailed(JsonNode phases) {
        for (JsonNode phase : phases) {
            String status = EventDetail.optional(phase, "phase-status");
            if (status != null && !status.equals("SUCCEEDED")) {
                List<String> messages = new ArrayList<>();
                phase.path("phase-context").forEach(context -> addMessage(context.asText(), messages));
                return new BuildChange.FailedPhase(EventDetail.optional(phase, "phase-type") == null ? "UNKNOWN"
                        : phase.get("phase-type").asText(), status, messages.isEmpty() ? null : String.join("\n", messages));
            }
        }
        return null;
    }

    /** When the build ended: the start of its COMPLETED phase, or the end of the last phase that has one. */
    static Instant end(JsonNode phases) {
        Instant end = null;
        for (JsonNode phase : phases) {
            if ("COMPLETED".equals(EventDetail.optional(phase, "phase-type"))) {
                return EventTime.parse(EventDetail.optional(phase, "start-time"));
            }
            Instant phaseEnd = EventTime.parse(EventDetail.optional(phase, "end-time"));
            end = phaseEnd != null ? phaseEnd : end;
        }
        return end;
    }

    /**
     * A phase context as the Phase Change event sends it: one string that looks like a list, e.g.
     * {@code "[COMMAND_EXECUTION_ERROR: Error while executing command: npm test. Reason: exit status 1]"}, and
     * {@code "[: ]"} or {@code "[]"} when there is nothing to say.
     */
    static String contextMessage(String context) {
        if (context == null) {
            return null;
        }
        String text = context.trim();
        if (text.startsWith("[") && text.endsWith("]")) {
            text = text.substring(1, text.length() - 1);
        }
        List<String> messages = new ArrayList<>();
        addMessage(text, messages);
        return messages.isEmpty() ? null : messages.get(0);
    }

    static String after(String phase) {
        int index = ORDER.indexOf(phase);
        return index < 0 || index == ORDER.size() - 1 ? phase : ORDER.get(index + 1);
    }

    /** @return the build id CodeBuild's own API uses, {@code project:uuid}, from the ARN events carry */
    static String buildId(String buildArn) {
        int at = buildArn.indexOf(":build/");
        return at < 0 ? buildArn : buildArn.substring(at + ":build/".length());
    }

    private static void addMessage(String text, List<String> messages) {
        String trimmed = text == null ? "" : text.trim();
        // CodeBuild writes ": " for a context with neither a status code nor a message.
        if (!trimmed.isEmpty() && !trimmed.equals(":")) {
            messages.add(trimmed);
        }
    }
}
