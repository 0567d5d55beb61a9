package dev.deploybot.aws;

import dev.deploybot.build.BuildRequest;
import dev.deploybot.build.BuildRunner;
import dev.deploybot.build.StartedBuild;
import jakarta.inject.Singleton;
import jakarta.inject.Provider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.codebuild.CodeBuildClient;
import software.amazon.awssdk.services.codebuild.model.Build;
import software.amazon.awssdk.services.codebuild.model.EnvironmentVariable;
import software.amazon.awssdk.services.codebuild.model.EnvironmentVariableType;
import software.amazon.awssdk.services.codebuild.model.StartBuildRequest;

@Singleton
public class CodeBuildRunner implements BuildRunner {
    private final Provider<CodeBuildClient> codeBuild;

    public CodeBuildRunner(Provider<CodeBuildClient> codeBuild) {
        this.codeBuild = codeBuild;
    }

    @Override
    public StartedBuild start(BuildRequest request) {
        StartBuildRequest.Builder startBuild = StartBuildRequest.builder()
                .projectName(request.project())
                .sourceVersion(request.ref().value())
                .idempotencyToken(request.idempotencyToken());
        if (!request.environmentVariables().isEmpty()) {
            startBuild.environmentVariablesOverride(request.environmentVariables().entrySet().stream()
                    .sorted(java.util.Map.Entry.comparingByKey())
                    .map(variable -> EnvironmentVariable.builder().name(variable.getKey()).value(variable.getValue())
                            .type(EnvironmentVariableType.PLAINTEXT).build())
                    .toList());
        }
        try {
            Build build = codeBuild.get().startBuild(startBuild.build()).build();
            String logs = build.logs() == null ? null : build.logs().deepLink();
            return new StartedBuild(build.id(), build.projectName(), build.buildNumber() == null ? 0 : build.buildNumber(), logs);
        } catch (SdkException e) {
            throw AwsFailures.translate("CodeBuild", e);
        }
    }
}
