package dev.deploybot.config;

import dev.deploybot.build.GitRef;
import dev.deploybot.core.Environment;
import dev.deploybot.core.Environments;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Turns the operator's YAML into validated {@link Environments}, refusing to start on any mistake. */
@Factory
public class EnvironmentCatalog {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,30}");
    private static final Pattern CHANNEL = Pattern.compile("[CG][A-Z0-9]{2,20}");
    private static final Pattern PROJECT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{1,254}");

    @Context
    Environments environments(List<EnvironmentProperties> configured) {
        ConfigurationProblems problems = new ConfigurationProblems();
        if (configured.isEmpty()) {
            problems.add("deploybot.environments", "no environment is configured; add at least one (see README)");
        }
        List<Environment> environments = new ArrayList<>();
        for (EnvironmentProperties properties : configured) {
            toEnvironment(properties, problems).ifPresent(environments::add);
        }
        problems.throwIfAny();
        return new Environments(environments);
    }

    private static Optional<Environment> toEnvironment(EnvironmentProperties properties, ConfigurationProblems problems) {
        String key = "deploybot.environments." + properties.getName();
        boolean valid = true;
        if (!NAME.matcher(properties.getName()).matches()) {
            problems.add(key, "environment names are lower-case letters, digits and '-', starting with a letter");
            valid = false;
        }
        if (properties.getChannel() == null || !CHANNEL.matcher(properties.getChannel()).matches()) {
            problems.add(key + ".channel", "required: the Slack channel ID (like C0123ABCD) where messages go, not its name");
            valid = false;
        }
        for (String channel : properties.getChannels()) {
            if (!CHANNEL.matcher(channel).matches()) {
                problems.add(key + ".channels", "'" + channel + "' is not a Slack channel ID (like C0123ABCD)");
                valid = false;
            }
        }
        Optional<Environment.BuildSettings> build = Optional.empty();
        EnvironmentProperties.BuildProperties buildProperties = properties.getBuild();
        if (buildProperties != null) {
            if (buildProperties.getProject() == null || !PROJECT.matcher(buildProperties.getProject()).matches()) {
                problems.add(key + ".build.project", "required when build is set: the CodeBuild project name");
                valid = false;
            } else if (GitRef.problemWith(buildProperties.getDefaultRef()).isPresent()) {
                problems.add(key + ".build.default-ref", "'" + buildProperties.getDefaultRef() + "' is not a valid git ref");
                valid = false;
            } else {
                build = Optional.of(new Environment.BuildSettings(buildProperties.getProject(), buildProperties.getDefaultRef()));
            }
        }
        if (!valid) {
            return Optional.empty();
        }
        return Optional.of(new Environment(properties.getName(), properties.getChannel(), properties.getChannels(), build));
    }
}
