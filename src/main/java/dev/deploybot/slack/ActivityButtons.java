package dev.deploybot.slack;

import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.bolt.App;
import dev.deploybot.activity.ActivityJournal;
import dev.deploybot.activity.BuildChange;
import dev.deploybot.activity.Subject;
import dev.deploybot.activity.Tracked;
import dev.deploybot.build.GitRef;
import dev.deploybot.build.StartBuild;
import dev.deploybot.core.Actor;
import dev.deploybot.core.AuditEntry;
import dev.deploybot.core.AuditTrail;
import dev.deploybot.core.BuildLog;
import dev.deploybot.core.BuildRecord;
import dev.deploybot.core.Environment;
import dev.deploybot.core.Environments;
import dev.deploybot.release.ApprovalPolicy;
import dev.deploybot.release.ApproverDirectory;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.Optional;

/**
 * The buttons on event messages. Retry starts the failed build again (same project, same ref) for the person
 * who started it or the environment's approvers. "Request production release" asks for a release exactly
 * as {@code /deploy <env>} does.
 */
@Singleton
class ActivityButtons implements SlackRoutes {
    private final BuildLog buildLog;
    private final ActivityJournal journal;
    private final Environments environments;
    private final StartBuild startBuild;
    private final SlackChat chat;
    private final ApproverDirectory approvers;
    private final AfterAck after;
    private final AuditTrail audit;
    private final Clock clock;
    private final ReleaseCommand release;

    ActivityButtons(BuildLog buildLog, ActivityJournal journal, Environments environments, StartBuild startBuild,
                    SlackChat chat, ApproverDirectory approvers, AfterAck after,
                    AuditTrail audit, Clock clock, ReleaseCommand release) {
        this.buildLog = buildLog;
        this.journal = journal;
        this.environments = environments;
        this.startBuild = startBuild;
        this.chat = chat;
        this.approvers = approvers;
        this.after = after;
        this.audit = audit;
        this.clock = clock;
        this.release = release;
    }

    @Override
    public void register(App app) {
        app.blockAction(EventViews.RETRY, (request, context) -> {
            Click click = Click.of(request.getPayload());
            if (click != null) {
                after.click(AfterAck.Lane.BUILDS, click.requester(), "The build may not have been retried", () -> retry(click));
            }
            return context.ack();
        });
        app.blockAction(EventViews.REQUEST_RELEASE, (request, context) -> {
            Click click = Click.of(request.getPayload());
            if (click != null) {
                Optional<Environment> environment = environments.find(click.value()).filter(release::handles);
                if (environment.isEmpty()) {
                    after.whisper(click.requester(), "That environment has no release gate (any more).");
                } else {
                    String trigger = request.getPayload().getTriggerId() == null ? click.value() + click.user() : request.getPayload().getTriggerId();
                    String answer = release.handle(environment.get(), "",
                            new DeployInvocation(Actor.of(click.user()), click.channel(), DeployInvocation.keyFor(trigger)));
                    after.whisper(click.requester(), answer);
                }
            }
            return context.ack();
        });
    }

    private void retry(Click click) {
        String buildId = click.value();
        Optional<BuildRecord> started = buildLog.find(buildId);
        Optional<Tracked> tracked = journal.find(Subject.build(buildId));
        String environmentName = started.map(BuildRecord::environment)
                .orElseGet(() -> tracked.map(Tracked::environment).orElse(null));
        Optional<Environment> environment = environmentName == null ? Optional.empty() : environments.find(environmentName);
        String ref = started.map(BuildRecord::ref).orElseGet(() -> tracked.map(Tracked::change)
                .filter(BuildChange.class::isInstance).map(change -> ((BuildChange) change).sourceVersion()).orElse(null));
        if (environment.isEmpty() || environment.get().build().isEmpty() || ref == null) {
            chat.whisper(click.channel(), click.user(), "This build cannot be retried from here: its environment or ref is unknown.");
            return;
        }
        String requester = started.map(BuildRecord::requester).orElse(null);
        if (!click.user().equals(requester) && !isApprover(environment.get(), click.user())) {
            audit.append(new AuditEntry(clock.instant(), click.user(), environment.get().name(), "retry", "refused",
                    "not the requester or an approver: " + buildId));
            chat.whisper(click.channel(), click.user(), "Only " + (requester == null ? "" : "<@" + requester + "> or ")
                    + "the approvers of *" + environment.get().name() + "* may retry this build.");
            return;
        }
        Optional<String> problem = GitRef.problemWith(ref);
        if (problem.isPresent()) {
            chat.whisper(click.channel(), click.user(), "This build cannot be retried from here: " + problem.get() + ".");
            return;
        }
        // One key per failed build: double clicks, and clicks by several people, start one build.
        StartBuild.Outcome outcome = startBuild.start(environment.get(), new GitRef(ref), Actor.of(click.user()),
                DeployInvocation.keyFor("retry:" + buildId), click.channel());
        if (outcome instanceof StartBuild.Started started_) {
            chat.whisper(click.channel(), click.user(), ":arrows_counterclockwise: Retrying: build #"
                    + started_.build().number() + " of `" + MessageViews.escape(ref) + "` started.");
        } else if (outcome instanceof StartBuild.AlreadyStarted again) {
            chat.whisper(click.channel(), click.user(), "This build was already retried: build #" + again.build().number() + ".");
        }
    }

    /** The same rule as a release approval, through the same cached directory. */
    private boolean isApprover(Environment environment, String userId) {
        return environment.release().map(settings -> new ApprovalPolicy(settings, approvers).isApprover(userId)).orElse(false);
    }

    /** The parts of a click that matter; null when Slack sent something unusable. */
    private record Click(String user, String channel, String value) {
        static final int MAX_VALUE = 400;

        AfterAck.Requester requester() {
            return new AfterAck.Requester(channel, user);
        }

        static Click of(BlockActionPayload payload) {
            if (payload == null || payload.getUser() == null || payload.getActions() == null || payload.getActions().isEmpty()
                    || payload.getChannel() == null) {
                return null;
            }
            String user = payload.getUser().getId();
            String value = payload.getActions().get(0).getValue();
            try {
                Actor.of(user);
            } catch (IllegalArgumentException | NullPointerException e) {
                return null;
            }
            // A button value is a build id (CodeBuild: at most a few hundred characters) or an environment name.
            return value == null || value.isBlank() || value.length() > MAX_VALUE ? null : new Click(user, payload.getChannel().getId(), value);
        }
    }
}
