package dev.deploybot.activity;

import dev.deploybot.core.BuildLog;
import dev.deploybot.core.BuildRecord;
import dev.deploybot.core.Environment;
import dev.deploybot.core.Environments;
import dev.deploybot.core.Progress;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Takes one change into the journal: finds the message it belongs to (the bot's own build message, or a
 * routed channel), refuses to move anything out of a finished state, and keeps only what is new, so a change
 * told twice is recorded once. A deployment the bot started for a release has one narrator, the release's:
 * its events are not told a second time here. Slack is not called: {@link DeliverActivity} hands what is new
 * to the one outbox.
 */
@Singleton
public class RecordChange {
    private static final int ATTEMPTS = 8;
    private final ActivityJournal journal;
    private final BuildLog builds;
    private final ReleaseThreads releases;
    private final Routing routing;
    private final Environments environments;
    private final AlarmLog alarms;
    private final Clock clock;

    public RecordChange(ActivityJournal journal, BuildLog builds, ReleaseThreads releases, Routing routing,
                        Environments environments, AlarmLog alarms, Clock clock) {
        this.journal = journal;
        this.builds = builds;
        this.releases = releases;
        this.routing = routing;
        this.environments = environments;
        this.alarms = alarms;
        this.clock = clock;
    }

    public sealed interface Outcome permits Recorded, Unchanged, Stale, Unrouted, AlarmNoted, ReleaseNarrated {
    }

    /** Something new to show: the subjects as now recorded. */
    public record Recorded(List<Tracked> tracked) implements Outcome {
        public List<Subject> subjects() {
            return tracked.stream().map(Tracked::subject).toList();
        }
    }

    /** Nothing new: the journal already knew all of it. */
    public record Unchanged(Subject subject) implements Outcome {
    }

    /** The subject had already finished; a late change cannot reopen it. */
    public record Stale(Subject subject, Progress known) implements Outcome {
    }

    /** Nobody asked to hear about it. */
    public record Unrouted(String why) implements Outcome {
    }

    /**
     * A deployment the bot started for a release: the release tells its own story (its message and thread, from
     * the pipeline's look at the deployment), so the event adds no second writer.
     */
    public record ReleaseNarrated(String releaseId) implements Outcome {
    }

    /**
     * An alarm's state, kept for the bake that watches it; it says nothing in Slack by itself.
     *
     * @param news false when a state of the same or a later time was already known (events arrive unordered)
     */
    public record AlarmNoted(String alarmName, boolean news) implements Outcome {
    }

    /** Records the change; what is new waits for {@link DeliverActivity}'s next round to be told. */
    public Outcome record(Change change) {
        return record(change, false);
    }

    /**
     * Records the change with what is new marked as told: the caller hands it to the outbox in the same unit of
     * work ({@link DeliverActivity#tellRecorded}), so an event's subject is written once, not written and then
     * marked. Answers the subjects as they are before that hand-over.
     */
    public Outcome recordToTell(Change change) {
        return record(change, true);
    }

    private Outcome record(Change change, boolean toldNow) {
        if (change instanceof AlarmStateChanged alarm) {
            return new AlarmNoted(alarm.alarmName(), alarms.record(alarm));
        }
        if (change instanceof BuildChange build) {
            return build(build, toldNow);
        }
        if (change instanceof DeploymentChange deployment) {
            return deployment(deployment, toldNow);
        }
        return image((ImagePushed) change, toldNow);
    }

    private Outcome build(BuildChange change, boolean toldNow) {
        Subject subject = Subject.build(change.buildId());
        Optional<BuildRecord> bot = builds.find(change.buildId());
        if (bot.isPresent() && change.progress().finished()) {
            builds.finished(change.buildId(), change.status());
        }
        Optional<Environment> environment = bot.isPresent()
                ? environments.find(bot.get().environment())
                : environments.all().stream().filter(e -> e.build().map(b -> b.project().equals(change.project())).orElse(false)).findFirst();
        boolean retryable = environment.flatMap(Environment::build).map(b -> b.project().equals(change.project())).orElse(false)
                && (bot.isPresent() ? bot.get().ref() != null : change.sourceVersion() != null && hasApprovers(environment.get()));
        Tracked initial;
        boolean announceNow;
        if (bot.isPresent()) {
            BuildRecord started = bot.get();
            String channel = started.channel() != null ? started.channel() : environment.map(Environment::channel).orElse(null);
            if (channel == null) {
                return new Unrouted("the environment " + started.environment() + " of build " + change.buildId() + " is gone");
            }
            // Its start message is in the outbox under the same key: every change updates that one message.
            announceNow = true;
            initial = Tracked.first(subject, change, channel, true, true, started.requester(), started.environment(),
                    retryable);
        } else {
            Optional<Route> route = routing.forBuildProject(change.project());
            String channel;
            if (route.isPresent()) {
                channel = route.get().channel();
                announceNow = route.get().wants(change.progress());
            } else if (environment.isPresent()) {
                channel = environment.get().channel();
                announceNow = change.progress() == Progress.FAILED;
            } else {
                return new Unrouted("no route for CodeBuild project " + change.project());
            }
            initial = Tracked.first(subject, change, channel, announceNow, false, null,
                    environment.map(Environment::name).orElse(null), retryable);
        }
        return apply(initial, announceNow, retryable, toldNow);
    }

    private Outcome deployment(DeploymentChange change, boolean toldNow) {
        Subject subject = change.subject();
        Optional<String> release = releases.releaseOf(change.deploymentId());
        if (release.isPresent()) {
            return new ReleaseNarrated(release.get());
        }
        Optional<Route> route = change.kind() == Subject.Kind.CODEDEPLOY
                ? routing.forCodeDeploy(change.scope())
                : routing.forEcsService(change.scope(), change.name());
        if (route.isPresent()) {
            boolean announceNow = route.get().wants(change.progress());
            return apply(Tracked.first(subject, change, route.get().channel(), announceNow, false, null, null, false),
                    announceNow, false, toldNow);
        }
        Optional<Environment> environment = environments.all().stream()
                .filter(e -> e.deploy().map(d -> deploys(d, change)).orElse(false)).findFirst();
        if (environment.isEmpty()) {
            return new Unrouted("no route for " + change.kind() + " " + change.scope() + "/" + change.name());
        }
        boolean announceNow = change.progress() == Progress.FAILED;
        return apply(Tracked.first(subject, change, environment.get().channel(), announceNow, false, null,
                environment.get().name(), false), announceNow, false, toldNow);
    }

    private Outcome image(ImagePushed change, boolean toldNow) {
        if (!routing.announceImages()) {
            return new Unrouted("image announcements are off");
        }
        List<Tracked> recorded = new ArrayList<>();
        Outcome last = new Unrouted("no environment releases from " + change.repository() + ":" + change.tag());
        for (Environment environment : environments.all()) {
            boolean releasesIt = environment.release()
                    .map(r -> r.repository().equals(change.repository()) && r.sourceTag().equals(change.tag()))
                    .orElse(false);
            if (!releasesIt) {
                continue;
            }
            Subject subject = new Subject(Subject.Kind.IMAGE, environment.name() + "@" + change.digest());
            last = apply(Tracked.first(subject, change, environment.channel(), true, false, null, environment.name(), false),
                    true, false, toldNow);
            if (last instanceof Recorded done) {
                recorded.addAll(done.tracked());
            }
        }
        return recorded.isEmpty() ? last : new Recorded(recorded);
    }

    /**
     * Inserts or advances the tracked subject, retrying when a concurrent handler wrote first.
     *
     * @param toldNow kept as {@link Tracked#told() told}: the caller hands it to the outbox in this unit of work
     */
    private Outcome apply(Tracked initial, boolean announceNow, boolean retryable, boolean toldNow) {
        Subject subject = initial.subject();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<Tracked> known = journal.find(subject);
            if (known.isEmpty()) {
                if (journal.insert(toldNow ? initial.told() : initial, clock.instant())) {
                    return new Recorded(List.of(initial));
                }
                continue;
            }
            Tracked current = known.get();
            Change incoming = initial.change();
            if (!current.progress().canMoveTo(incoming.progress())) {
                return new Stale(subject, current.progress());
            }
            Change merged = merge(incoming, current.change());
            if (sameNews(merged, current.change()) && (current.announce() || !announceNow)) {
                return new Unchanged(subject);
            }
            Tracked advanced = current.withChange(merged, announceNow, retryable);
            if (journal.replace(toldNow ? advanced.told() : advanced, current.version(), clock.instant())) {
                return new Recorded(List.of(advanced));
            }
        }
        throw new IllegalStateException("could not record a change of " + subject.key() + ": too much contention");
    }

    private static Change merge(Change incoming, Change known) {
        if (incoming instanceof BuildChange build && known instanceof BuildChange earlier) {
            return build.over(earlier);
        }
        return incoming;
    }

    /** The same as far as people can tell: when it was told does not count. */
    private static boolean sameNews(Change a, Change b) {
        if (a instanceof BuildChange x && b instanceof BuildChange y) {
            return x.equals(new BuildChange(y.buildId(), y.project(), y.number(), y.status(), y.currentPhase(),
                    y.sourceVersion(), y.initiator(), y.startedAt(), y.endedAt(), y.failedPhase(), y.logsUrl(), x.occurredAt()));
        }
        if (a instanceof DeploymentChange x && b instanceof DeploymentChange y) {
            return x.state().equals(y.state()) && Objects.equals(x.reason(), y.reason());
        }
        if (a instanceof ImagePushed x && b instanceof ImagePushed y) {
            return x.digest().equals(y.digest()) && x.repository().equals(y.repository()) && x.tag().equals(y.tag());
        }
        return false;
    }

    private static boolean deploys(Environment.DeploySettings deploy, DeploymentChange change) {
        if (change.kind() == Subject.Kind.CODEDEPLOY) {
            return change.scope() != null && change.scope().equals(deploy.application());
        }
        return change.name() != null && change.name().equals(deploy.service())
                && (change.scope() == null || change.scope().equals(deploy.cluster()));
    }

    private static boolean hasApprovers(Environment environment) {
        return environment.release().map(r -> !r.approvers().isEmpty()).orElse(false);
    }
}
