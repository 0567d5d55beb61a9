package dev.deploybot.aws;

import dev.deploybot.activity.BuildChange;
import dev.deploybot.activity.BuildStatuses;
import jakarta.inject.Singleton;
import jakarta.inject.Provider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.codebuild.CodeBuildClient;
import software.amazon.awssdk.services.codebuild.model.BatchGetBuildsResponse;
import software.amazon.awssdk.services.codebuild.model.Build;
import software.amazon.awssdk.services.codebuild.model.BuildPhase;
import software.amazon.awssdk.services.codebuild.model.PhaseContext;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** {@code BatchGetBuilds}, read into the same shape CodeBuild's events are. */
@Singleton
public class CodeBuildStatuses implements BuildStatuses {
    private final Provider<CodeBuildClient> codeBuild;
    private final Clock clock;

    public CodeBuildStatuses(Provider<CodeBuildClient> codeBuild, Clock clock) {
        this.codeBuild = codeBuild;
        this.clock = clock;
    }

    @Override
    public Lookup lookup(List<String> buildIds) {
        if (buildIds.isEmpty()) {
            return new Lookup(List.of(), List.of());
        }
        BatchGetBuildsResponse response;
        try {
            response = codeBuild.get().batchGetBuilds(r -> r.ids(buildIds));
        } catch (SdkException e) {
            throw AwsFailures.translate("CodeBuild", e);
        }
        return new Lookup(response.builds().stream().map(this::change).toList(), response.buildsNotFound());
    }

    private BuildChange change(Build build) {
        String status = build.buildStatusAsString();
        return new BuildChange(build.id(), build.projectName(), build.buildNumber() == null ? 0 : build.buildNumber(),
                status, build.currentPhase(), build.sourceVersion(), build.initiator(), build.startTime(), build.endTime(),
                BuildChange.FAILURES.contains(status) ? failedPhase(build.phases()) : null,
                build.logs() == null ? null : build.logs().deepLink(),
                build.endTime() != null ? build.endTime() : clock.instant());
    }

    private static BuildChange.FailedPhase failedPhase(List<BuildPhase> phases) {
        return phases.stream()
                .filter(phase -> phase.phaseStatus() != null && !"SUCCEEDED".equals(phase.phaseStatusAsString()))
                .findFirst()
                .map(phase -> {
                    String message = phase.contexts().stream().map(CodeBuildStatuses::describe).filter(Objects::nonNull)
                            .collect(Collectors.joining("\n"));
                    return new BuildChange.FailedPhase(phase.phaseTypeAsString(), phase.phaseStatusAsString(),
                            message.isEmpty() ? null : message);
                })
                .orElse(null);
    }

    /** The same words the events use: {@code STATUS_CODE: message}. */
    private static String describe(PhaseContext context) {
        String code = context.statusCode() == null ? "" : context.statusCode().trim();
        String message = context.message() == null ? "" : context.message().trim();
        if (code.isEmpty() && message.isEmpty()) {
            return null;
        }
        return code.isEmpty() ? message : message.isEmpty() ? code : code + ": " + message;
    }
}
