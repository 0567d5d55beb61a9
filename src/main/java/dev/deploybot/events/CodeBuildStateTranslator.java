package dev.deploybot.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deploybot.activity.BuildChange;
import dev.deploybot.activity.Change;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * {@code CodeBuild Build State Change}: a build started or ended. Quirks: {@code build-id} is an ARN,
 * {@code build-number} a float ({@code 55.0}), times are {@code Sep 1, 2017 4:12:29 PM}, and
 * {@code current-phase-context} a string that looks like a list.
 */
@Singleton
class CodeBuildStateTranslator implements EventTranslator {
    static final String DETAIL_TYPE = "CodeBuild Build State Change";

    @Override
    public String detailType() {
        return DETAIL_TYPE;
    }

    @Override
    public Optional<Change> translate(EventEnvelope event) {
        JsonNode detail = event.detail();
        JsonNode info = detail.path("additional-information");
        String status = EventDetail.required(detail, "build-status");
        JsonNode phases = info.path("phases");
        BuildChange.FailedPhase failed = CodeBuildPhases.firstFailed(phases);
        if (failed == null && BuildChange.FAILURES.contains(status)) {
            String context = CodeBuildPhases.contextMessage(EventDetail.optional(detail, "current-phase-context"));
            String phase = EventDetail.optional(detail, "current-phase");
            failed = context == null || phase == null ? null : new BuildChange.FailedPhase(phase, status, context);
        }
        return Optional.of(new BuildChange(
                CodeBuildPhases.buildId(EventDetail.required(detail, "build-id")),
                EventDetail.required(detail, "project-name"),
                info.path("build-number").asLong(0),
                status,
                EventDetail.optional(detail, "current-phase"),
                EventDetail.optional(info, "source-version"),
                EventDetail.optional(info, "initiator"),
                EventTime.parse(EventDetail.optional(info, "build-start-time")),
                BuildChange.FAILURES.contains(status) || status.equals("SUCCEEDED") ? CodeBuildPhases.end(phases) : null,
                BuildChange.FAILURES.contains(status) ? failed : null,
                EventDetail.optional(info.path("logs"), "deep-link"),
                event.time()));
    }
}
