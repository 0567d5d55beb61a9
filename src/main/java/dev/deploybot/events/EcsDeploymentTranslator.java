package dev.deploybot.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deploybot.activity.Change;
import dev.deploybot.activity.DeploymentChange;
import dev.deploybot.core.Progress;
import dev.deploybot.activity.Subject;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * {@code ECS Deployment State Change}. The service is named only by the ARN in {@code resources}:
 * {@code …:service/cluster/service} in the current format, {@code …:service/service} in the old one.
 * A rollback starts as a new deployment IN_PROGRESS whose reason says so.
 */
@Singleton
class EcsDeploymentTranslator implements EventTranslator {
    static final String DETAIL_TYPE = "ECS Deployment State Change";

    @Override
    public String detailType() {
        return DETAIL_TYPE;
    }

    @Override
    public Optional<Change> translate(EventEnvelope event) {
        JsonNode detail = event.detail();
        String name = EventDetail.required(detail, "eventName");
        Progress progress = switch (name) {
            case "SERVICE_DEPLOYMENT_COMPLETED" -> Progress.SUCCEEDED;
            case "SERVICE_DEPLOYMENT_FAILED" -> Progress.FAILED;
            default -> Progress.IN_PROGRESS;
        };
        String serviceArn = event.resources().stream().filter(arn -> arn.contains(":service/")).findFirst()
                .orElseThrow(() -> new MalformedEvent("no ECS service ARN in resources"));
        String[] path = serviceArn.substring(serviceArn.indexOf(":service/") + ":service/".length()).split("/");
        String cluster = path.length > 1 ? path[0] : null;
        String service = path[path.length - 1];
        return Optional.of(new DeploymentChange(Subject.Kind.ECS, EventDetail.required(detail, "deploymentId"), cluster,
                service, name, progress, EventDetail.optional(detail, "reason"), event.time()));
    }
}
