package dev.deploybot.build;

import dev.deploybot.core.Actor;
import dev.deploybot.core.AuditEntry;
import dev.deploybot.core.AuditTrail;
import dev.deploybot.core.BuildLog;
import dev.deploybot.core.BuildRecord;
import dev.deploybot.core.Environment;
import dev.deploybot.core.ExternalFailure;
import dev.deploybot.core.OutcomeUnknown;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.Map;

/** Starts an environment's build project for a ref and announces it. */
@Singleton
public class StartBuild {
    private final BuildRunner runner;
    private final BuildLog log;
    private final BuildAnnouncer announcer;
    private final AuditTrail audit;
    private final Clock clock;

    public StartBuild(BuildRunner runner, BuildLog log, BuildAnnouncer announcer, AuditTrail audit, Clock clock) {
        this.runner = runner;
        this.log = log;
        this.announcer = announcer;
        this.audit = audit;
        this.clock = clock;
    }

    public sealed interface Outcome permits Started, AlreadyStarted, Refused, Unknown {
    }

    public record Started(StartedBuild build) implements Outcome {
    }

    /** A replay of a command that already started this build. */
    public record AlreadyStarted(StartedBuild build) implements Outcome {
    }

    public record Refused(ExternalFailure failure) implements Outcome {
    }

    /** CodeBuild did not answer in time, twice: the build may or may not have started. */
    public record Unknown(OutcomeUnknown failure) implements Outcome {
    }

    /**
     * @param commandKey unique per Slack command invocation; the same key always maps to the same build
     * @param replyChannel where the requester typed the command, for private answers
     */
    public Outcome start(Environment environment, GitRef ref, Actor requester, String commandKey, String replyChannel) {
        Environment.BuildSettings settings = environment.build()
                .orElseThrow(() -> new IllegalArgumentException(environment.name() + " has no build project"));
        StartedBuild build;
        try {
            build = startAskingAgainOnce(new BuildRequest(settings.project(), ref, Map.of(), commandKey), environment, requester,
                    replyChannel);
        } catch (OutcomeUnknown unknown) {
            record(environment, requester, "unknown", "no answer in time " + ref);
            announcer.mayHaveStarted(environment, ref, requester, replyChannel);
            return new Unknown(unknown);
        } catch (ExternalFailure failure) {
            record(environment, requester, "refused", failure.code() + " " + ref);
            announcer.refused(environment, ref, requester, replyChannel, failure);
            return new Refused(failure);
        }
        BuildRecord record = new BuildRecord(build.id(), environment.name(), build.project(), ref.value(),
                requester.userId(), environment.channel(), clock.instant());
        if (!log.recordIfNew(record)) {
            record(environment, requester, "duplicate", build.id());
            return new AlreadyStarted(build);
        }
        record(environment, requester, "started", build.id() + " " + ref);
        announcer.started(environment, build, ref, requester);
        return new Started(build);
    }

    /**
     * After a timeout the build may have started. Asking again with the same idempotency token is safe: CodeBuild
     * answers with the build it started for the token, or starts it now.
     */
    private StartedBuild startAskingAgainOnce(BuildRequest request, Environment environment, Actor requester, String replyChannel) {
        try {
            return runner.start(request);
        } catch (OutcomeUnknown unknown) {
            announcer.askingAgain(environment, request.ref(), requester, replyChannel);
            return runner.start(request);
        }
    }

    private void record(Environment environment, Actor requester, String outcome, String detail) {
        audit.append(new AuditEntry(clock.instant(), requester.userId(), environment.name(), "build", outcome, detail));
    }
}
