package dev.deploybot.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deploybot.activity.BuildChange;
import dev.deploybot.activity.Change;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * {@code CodeBuild Build Phase Change}: one phase ended. It never ends the build (FINALIZING runs even after a
 * failed phase, and the state change follows), but it tells which phase the build is in and why one failed.
 */
@Singleton
class CodeBuildPhaseTranslator implements EventTranslator {
    static final String DETAIL_TYPE = "CodeBuild Build Phase Change";

    @Override
    public String detailType() {
        return DETAIL_TYPE;
    }

    @Override
    public Optional<Change> translate(EventEnvelope event) {
        JsonNode detail = event.detail();
        JsonNode info = detail.path("additional-information");
        String completed = EventDetail.required(detail, "completed-phase");
        String completedStatus = EventDetail.optional(detail, "completed-phase-status");
        BuildChange.FailedPhase failed = completedStatus == null || completedStatus.equals("SUCCEEDED") ? null
                : new BuildChange.FailedPhase(completed, completedStatus,
                CodeBuildPhases.contextMessage(EventDetail.optional(detail, "completed-phase-context")));
        return Optional.of(new BuildChange(
                CodeBuildPhases.buildId(EventDetail.required(detail, "build-id")),
                EventDetail.required(detail, "project-name"),
                info.path("build-number").asLong(0),
                "IN_PROGRESS",
                CodeBuildPhases.after(completed),
                EventDetail.optional(info, "source-version"),
                EventDetail.optional(info, "initiator"),
                EventTime.parse(EventDetail.optional(info, "build-start-time")),
                null,
                failed,
                EventDetail.optional(info.path("logs"), "deep-link"),
                event.time()));
    }
}
