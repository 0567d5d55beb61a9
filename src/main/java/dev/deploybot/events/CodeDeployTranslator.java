package dev.deploybot.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deploybot.activity.Change;
import dev.deploybot.activity.DeploymentChange;
import dev.deploybot.core.Progress;
import dev.deploybot.activity.Subject;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * {@code CodeDeploy Deployment State-change Notification}. States are CodeDeploy's terse words: START, READY
 * (blue/green, waiting to reroute traffic), SUCCESS, FAILURE, STOP.
 */
@Singleton
class CodeDeployTranslator implements EventTranslator {
    static final String DETAIL_TYPE = "CodeDeploy Deployment State-change Notification";

    @Override
    public String detailType() {
        return DETAIL_TYPE;
    }

    @Override
    public Optional<Change> translate(EventEnvelope event) {
        JsonNode detail = event.detail();
        String state = EventDetail.required(detail, "state");
        Progress progress = switch (state) {
            case "SUCCESS" -> Progress.SUCCEEDED;
            case "FAILURE", "STOP", "STOPPED" -> Progress.FAILED;
            default -> Progress.IN_PROGRESS;
        };
        return Optional.of(new DeploymentChange(Subject.Kind.CODEDEPLOY, EventDetail.required(detail, "deploymentId"),
                EventDetail.required(detail, "application"), EventDetail.optional(detail, "deploymentGroup"), state,
                progress, null, event.time()));
    }
}
