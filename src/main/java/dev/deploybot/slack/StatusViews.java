package dev.deploybot.slack;

import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.composition.TextObject;
import dev.deploybot.core.ImageRef;
import dev.deploybot.pipeline.ShowStatus;
import dev.deploybot.release.ReleaseHistory;
import dev.deploybot.release.ReleaseRequest;
import dev.deploybot.release.ReleaseState;
import dev.deploybot.release.ServiceSnapshot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.divider;
import static com.slack.api.model.block.Blocks.section;
import static dev.deploybot.slack.MessageViews.escape;
import static dev.deploybot.slack.MessageViews.markdown;

/** {@code /deploy status} and {@code /deploy history}, as private Block Kit answers. */
final class StatusViews {
    private static final int MAX_BLOCKS = 50;
    private static final Pattern COMMIT_TAG = Pattern.compile("^(git-)?[0-9a-f]{7,40}$");

    private StatusViews() {
    }

    static SlackView status(ShowStatus.Report report) {
        List<LayoutBlock> blocks = new ArrayList<>();
        List<String> summary = new ArrayList<>();
        for (ShowStatus.EnvironmentStatus status : report.environments()) {
            if (!blocks.isEmpty()) {
                blocks.add(divider());
            }
            blocks.add(section(s -> s.text(markdown("*" + escape(status.environment()) + "* " + service(status.service())))));
            List<TextObject> facts = new ArrayList<>();
            status.tags().ifPresentOrElse(tags -> {
                if (!tags.isEmpty()) {
                    facts.add(markdown("*Tags*\n" + tags(tags)));
                }
            }, () -> facts.add(markdown("*Tags*\nunknown")));
            if (status.drift()) {
                facts.add(markdown("*Drift*\n:warning: the release tag names another image than the service runs"));
            }
            status.running().ifPresent(running -> facts.add(markdown("*" + kind(running.request()) + " running*\n"
                    + "`" + running.request().candidate().shortDigest() + "` "
                    + running.request().state().name().toLowerCase(Locale.ROOT) + " " + link(running))));
            status.pending().ifPresent(pending -> facts.add(markdown("*Waiting for approval*\n"
                    + "`" + pending.request().candidate().shortDigest() + "` asked by <@" + pending.request().requester()
                    + "> " + link(pending))));
            status.lock().ifPresent(lock -> facts.add(markdown("*Locked* :lock:\n" + (lock.holder() == null ? "" : "by <@"
                    + lock.holder() + "> ") + ReleaseViews.date(lock.at()) + ": " + escape(lock.reason()))));
            if (!facts.isEmpty()) {
                blocks.add(section(s -> s.fields(facts)));
            }
            summary.add(status.environment() + ": " + plainService(status.service()));
        }
        if (blocks.isEmpty()) {
            blocks.add(section(s -> s.text(markdown("No environment is configured."))));
        }
        return new SlackView(String.join("; ", summary), cap(blocks));
    }

    static SlackView history(Optional<String> environment, List<ReleaseHistory.Entry> entries) {
        String scope = environment.map(name -> "*" + escape(name) + "*").orElse("all environments");
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(section(s -> s.text(markdown(entries.isEmpty() ? "No releases or rollbacks yet in " + scope + "."
                : "Latest " + entries.size() + " releases and rollbacks in " + scope + ", newest first"))));
        for (ReleaseHistory.Entry entry : entries) {
            String commit = entry.tags().stream().filter(tag -> COMMIT_TAG.matcher(tag).find()).findFirst()
                    .map(tag -> " `" + escape(tag) + "`").orElse("");
            String approvers = entry.approvers().isEmpty() ? "" : " · approved by "
                    + String.join(", ", entry.approvers().stream().map(a -> "<@" + a + ">").toList());
            String line = ReleaseViews.date(entry.requestedAt()) + " · *" + escape(entry.environment()) + "* "
                    + (entry.kind() == ReleaseRequest.Kind.ROLLBACK ? "rollback to" : "release of") + " `"
                    + ImageRef.shortDigest(entry.digest()) + "`" + commit + " · by <@" + entry.requester() + ">" + approvers
                    + "\n" + outcome(entry) + duration(entry).map(d -> " in " + d).orElse("")
                    + (entry.channel() != null && entry.messageTs() != null ? " · <" + permalink(entry.channel(), entry.messageTs())
                    + "|message>" : "");
            blocks.add(section(s -> s.text(markdown(line))));
        }
        return new SlackView("History of " + environment.orElse("all environments") + ": " + entries.size() + " entries",
                cap(blocks));
    }

    private static String service(ShowStatus.Service service) {
        if (service instanceof ShowStatus.Running running) {
            ServiceSnapshot snapshot = running.snapshot();
            return "runs " + snapshot.digest().map(d -> "`" + ImageRef.shortDigest(d) + "`").orElse("an image named by a tag")
                    + " (task definition `" + escape(snapshot.taskDefinition()) + "`) · " + rollout(snapshot) + " · "
                    + snapshot.running() + "/" + snapshot.desired() + " tasks · since " + ReleaseViews.date(
                    snapshot.completed() ? snapshot.updatedAt() : snapshot.startedAt());
        }
        if (service instanceof ShowStatus.Unknown unknown) {
            return ":grey_question: unknown (" + escape(unknown.why()) + ")";
        }
        return "has no ECS service";
    }

    private static String plainService(ShowStatus.Service service) {
        if (service instanceof ShowStatus.Running running) {
            return running.snapshot().digest().map(ImageRef::shortDigest).orElse("tag") + " " + running.snapshot().rolloutState();
        }
        return service instanceof ShowStatus.Unknown unknown ? "unknown (" + unknown.why() + ")" : "no service";
    }

    private static String rollout(ServiceSnapshot snapshot) {
        return switch (snapshot.rolloutState()) {
            case "COMPLETED" -> ":white_check_mark: rollout completed";
            case "IN_PROGRESS" -> ":arrows_counterclockwise: rolling out";
            case "FAILED" -> ":x: rollout failed";
            default -> "rollout " + escape(snapshot.rolloutState().toLowerCase(Locale.ROOT));
        };
    }

    private static String tags(Map<String, String> tags) {
        List<String> lines = new ArrayList<>();
        tags.forEach((tag, digest) -> lines.add("`" + escape(tag) + "` → `" + ImageRef.shortDigest(digest) + "`"));
        return String.join("\n", lines);
    }

    private static String kind(ReleaseRequest request) {
        return request.isRollback() ? "Rollback" : "Release";
    }

    private static String link(ShowStatus.Request request) {
        return request.messageTs() == null ? "" : "<" + permalink(request.channel(), request.messageTs()) + "|see it>";
    }

    private static String permalink(String channel, String ts) {
        return "https://slack.com/app_redirect?channel=" + channel + "&message_ts=" + ts;
    }

    private static String outcome(ReleaseHistory.Entry entry) {
        return switch (entry.state()) {
            case SUCCEEDED -> ":white_check_mark: succeeded";
            case FAILED -> ":x: failed" + (entry.failure() == null ? "" : ": " + escape(shorten(entry.failure())));
            case PENDING -> ":hourglass: waiting for approval";
            case APPROVED, MIGRATING, DEPLOYING, BAKING -> ":arrows_counterclockwise: " + entry.state().name().toLowerCase(Locale.ROOT);
            default -> ":heavy_minus_sign: " + entry.state().name().toLowerCase(Locale.ROOT);
        };
    }

    private static Optional<String> duration(ReleaseHistory.Entry entry) {
        if (entry.finishedAt() == null || entry.state() != ReleaseState.SUCCEEDED && entry.state() != ReleaseState.FAILED) {
            return Optional.empty();
        }
        Duration took = Duration.between(entry.decidedAt() == null ? entry.requestedAt() : entry.decidedAt(), entry.finishedAt());
        return Optional.of(took.toMinutes() >= 1 ? took.toMinutes() + " min" : Math.max(0, took.toSeconds()) + " s");
    }

    private static String shorten(String text) {
        return text.length() <= 200 ? text : text.substring(0, 199) + "…";
    }

    /** Slack refuses a message of more than 50 blocks. */
    private static List<LayoutBlock> cap(List<LayoutBlock> blocks) {
        if (blocks.size() <= MAX_BLOCKS) {
            return blocks;
        }
        List<LayoutBlock> capped = new ArrayList<>(blocks.subList(0, MAX_BLOCKS - 1));
        capped.add(context(c -> c.elements(List.of(markdown("… and more; name one environment to see it whole.")))));
        return capped;
    }
}
