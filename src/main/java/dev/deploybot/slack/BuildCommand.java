package dev.deploybot.slack;

import dev.deploybot.build.GitRef;
import dev.deploybot.build.StartBuild;
import dev.deploybot.core.AuditEntry;
import dev.deploybot.core.AuditTrail;
import dev.deploybot.core.Environment;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.Optional;

/** {@code /deploy stg [ref]}: start the environment's build project. */
@Singleton
class BuildCommand implements EnvironmentCommand {
    private final StartBuild startBuild;
    private final AfterAck after;
    private final AuditTrail audit;
    private final Clock clock;

    BuildCommand(StartBuild startBuild, AfterAck after, AuditTrail audit, Clock clock) {
        this.startBuild = startBuild;
        this.after = after;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public String verb() {
        return "build";
    }

    @Override
    public boolean handles(Environment environment) {
        // An environment with a release gate is released, not built, from /deploy <name>.
        return environment.build().isPresent() && environment.release().isEmpty();
    }

    @Override
    public String handle(Environment environment, String arguments, DeployInvocation invocation) {
        String refText = arguments.isEmpty() ? environment.build().orElseThrow().defaultRef() : arguments;
        Optional<String> problem = GitRef.problemWith(refText);
        if (problem.isPresent()) {
            audit.append(new AuditEntry(clock.instant(), invocation.actor().userId(), environment.name(), "build",
                    "refused", "bad ref: " + problem.get()));
            return ":no_entry: Not started: " + problem.get() + ".";
        }
        GitRef ref = new GitRef(refText);
        return after.command(AfterAck.Lane.BUILDS, invocation.requester(),
                ":hourglass_flowing_sand: Starting the *" + environment.name() + "* build for `" + MessageViews.escape(ref.value()) + "`…",
                "The " + environment.name() + " build may not have started",
                () -> startBuild.start(environment, ref, invocation.actor(), invocation.commandKey(), invocation.channelId()));
    }
}
