package dev.deploybot.slack;

import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.composition.ConfirmationDialogObject;
import com.slack.api.model.block.composition.TextObject;
import com.slack.api.model.block.element.BlockElement;
import com.slack.api.model.block.element.ButtonElement;
import dev.deploybot.core.Environment;
import dev.deploybot.core.ImageRef;
import dev.deploybot.release.PinnedImage;
import dev.deploybot.release.ProvenInStaging;
import dev.deploybot.release.ReleaseNews;
import dev.deploybot.release.ReleaseRequest;
import dev.deploybot.release.ReleaseState;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.section;
import static dev.deploybot.slack.MessageViews.escape;
import static dev.deploybot.slack.MessageViews.markdown;
import static dev.deploybot.slack.MessageViews.plain;

/** The release message: the approval request, then the same message as the release goes on. */
final class ReleaseViews {
    static final String APPROVE = "release_approve";
    static final String REJECT = "release_reject";
    static final String CANCEL = "release_cancel";
    static final String ROLL_BACK = "release_rollback";

    private ReleaseViews() {
    }

    static SlackView release(Environment environment, ReleaseRequest request, ReleaseNews news) {
        String status = status(request, news);
        Environment.ReleaseSettings settings = environment.release().orElseThrow();
        ReleaseRequest.Ask ask = request.ask();
        List<LayoutBlock> blocks = new ArrayList<>();
        String headline = request.isAutomatic()
                ? icon(request.state()) + " *Automatic rollback of " + escape(environment.name()) + "*: the bake alarm of <@"
                        + request.requester() + ">'s release of `" + ImageRef.shortDigest(ask.previousDigest()) + "` fired (see its thread)"
                : icon(request.state()) + (request.isRollback() ? " *Rollback of " : " *Release to ")
                        + escape(environment.name()) + "* requested by <@" + request.requester() + ">"
                        + (ask.note() == null ? "" : "\n>" + escape(ask.note()));
        blocks.add(section(s -> s.text(markdown(headline))));
        List<TextObject> facts = new ArrayList<>();
        boolean several = ask.images().size() > 1;
        if (!several) {
            facts.add(markdown((request.isRollback() ? "*Back to*\n`" : "*Image*\n`") + request.candidate().shortDigest() + "`"
                    + (ask.candidateTags().isEmpty() ? "" : " " + tags(ask.candidateTags()))));
        }
        facts.add(markdown("*Pushed*\n" + (ask.pushedAt() == null ? "unknown" : date(ask.pushedAt()))));
        if (!several) {
            facts.add(markdown((request.isRollback() ? "*Runs now (rolled away from)*\n" : "*`" + escape(settings.releaseTag()) + "` now*\n")
                    + (ask.previousDigest() == null ? "nothing released yet" : "`" + ImageRef.shortDigest(ask.previousDigest()) + "`")));
        }
        if (ask.compareUrl() != null) {
            facts.add(markdown("*Changes*\n<" + ask.compareUrl() + "|compare>"));
        }
        if (news instanceof ReleaseNews.Requested requested && requested.proven().isPresent()) {
            ProvenInStaging.Proven proven = requested.proven().get();
            facts.add(markdown("*Proven*\nrunning in " + escape(proven.environment()) + " since " + date(proven.since())));
        }
        if (several) {
            blocks.add(section(s -> s.text(markdown(images(settings, request)))));
        }
        blocks.add(section(s -> s.fields(facts)));
        blocks.add(context(c -> c.elements(List.of(markdown(progressLine(settings, request, status))))));
        if (request.state() == ReleaseState.PENDING) {
            blocks.add(actions(a -> a.blockId("release_decision").elements(buttons(request))));
        } else if (!request.isRollback() && (request.state() == ReleaseState.SUCCEEDED || request.state() == ReleaseState.FAILED)) {
            blocks.add(actions(a -> a.blockId("release_after").elements(List.of(rollBack(request, settings)))));
        }
        String fallback = environment.name() + " " + request.kind().name().toLowerCase() + " " + request.candidate().shortDigest() + ": "
                + request.state().name().toLowerCase() + (status == null ? "" : " — " + status);
        return new SlackView(fallback, blocks);
    }

    /** One line per image released together: what it becomes and what the release tag names now, or "unchanged". */
    private static String images(Environment.ReleaseSettings settings, ReleaseRequest request) {
        StringBuilder text = new StringBuilder(request.isRollback() ? "*Images, back to*" : "*Images*");
        for (PinnedImage image : request.ask().images()) {
            text.append("\n• `").append(escape(image.repository())).append('`')
                    .append(image.container().map(container -> " → " + escape(container)).orElse(""))
                    .append(": `").append(ImageRef.shortDigest(image.digest())).append('`')
                    .append(image.commitTag() == null ? "" : " `" + escape(image.commitTag()) + "`");
            if (!image.changed()) {
                text.append(" · unchanged");
            } else {
                text.append(" · ").append(request.isRollback() ? "runs now " : "`" + escape(settings.releaseTag()) + "` now ")
                        .append(image.previousDigest() == null ? "nothing released yet" : "`" + ImageRef.shortDigest(image.previousDigest()) + "`");
            }
        }
        return text.toString();
    }

    private static String progressLine(Environment.ReleaseSettings settings, ReleaseRequest request, String status) {
        ReleaseRequest.Decision decision = request.decision();
        return switch (request.state()) {
            case PENDING -> "Waiting for " + (settings.requiredApprovals() - decision.approvals().size())
                    + " approval(s) from " + approvers(settings) + (decision.approvals().isEmpty() ? "" : " · approved so far by "
                    + String.join(", ", decision.approvals().stream().map(a -> "<@" + a.approver() + ">").toList()))
                    + " · expires " + date(request.ask().expiresAt());
            case APPROVED, DEPLOYING -> approvedBy(request) + " · " + escape(status == null ? "in progress" : status);
            // status() words a running migration itself, with the link to its logs.
            case MIGRATING -> approvedBy(request) + " · " + (status == null ? "migrating…" : status);
            case BAKING -> approvedBy(request) + " · " + (status == null ? ":hourglass_flowing_sand: baking…" : status);
            case SUCCEEDED -> approvedBy(request) + (request.isRollback() ? " · :white_check_mark: *Rolled back* in "
                    : request.deployment().bakeStartedAt() != null ? " · :white_check_mark: *Succeeded, baked "
                    + duration(request.deployment().bakeStartedAt(), request.deployment().finishedAt()) + "* · in all " : " · :white_check_mark: *Succeeded* in ")
                    + minutes(request) + (status == null || request.deployment().bakeStartedAt() != null ? "" : " · " + escape(status));
            case FAILED -> approvedBy(request) + " · :x: *Failed* after " + minutes(request) + ": "
                    + (request.deployment().failure() == null ? escape(String.valueOf(status)) : failure(settings, request.deployment().failure()));
            case REJECTED -> ":no_entry: Rejected by <@" + decision.decidedBy() + "> " + date(decision.decidedAt());
            case CANCELLED -> ":heavy_multiplication_x: Cancelled by <@" + decision.decidedBy() + "> " + date(decision.decidedAt());
            case EXPIRED -> ":hourglass: Expired " + date(request.ask().expiresAt()) + " without a decision";
            case SUPERSEDED -> ":leftwards_arrow_with_hook: Superseded by a rollback requested by <@" + decision.decidedBy() + ">";
        };
    }

    private static List<BlockElement> buttons(ReleaseRequest request) {
        ButtonElement approve = ButtonElement.builder().actionId(APPROVE).value(request.id()).style("primary")
                .text(plain("Approve"))
                .confirm(ConfirmationDialogObject.builder()
                        .title(plain("Release to " + request.environment() + "?"))
                        .text(markdown(request.ask().images().size() > 1
                                ? "Moves the release tags of the changed images and deploys them together."
                                : "Moves the release tags to `" + request.candidate().shortDigest() + "` and deploys it."))
                        .confirm(plain("Release"))
                        .deny(plain("Not yet"))
                        .build())
                .build();
        ButtonElement reject = ButtonElement.builder().actionId(REJECT).value(request.id()).style("danger")
                .text(plain("Reject")).build();
        ButtonElement cancel = ButtonElement.builder().actionId(CANCEL).value(request.id())
                .text(plain("Cancel (requester)")).build();
        return List.of(approve, reject, cancel);
    }

    /** Whether the news changes the release's own message (the rest goes to its thread only). */
    static boolean changesMessage(ReleaseNews news) {
        return !(news instanceof ReleaseNews.TagMoved || news instanceof ReleaseNews.DeploymentStopped);
    }

    /** The one-line status the message shows while the release is in progress. */
    static String status(ReleaseRequest request, ReleaseNews news) {
        if (news instanceof ReleaseNews.ApprovalCounted counted) {
            return counted.approvals() + " of " + counted.required() + " approvals";
        }
        if (news instanceof ReleaseNews.Decided) {
            return request.state() == ReleaseState.APPROVED ? "Approved; moving tags" : null;
        }
        if (news instanceof ReleaseNews.TagsMoved) {
            return "Tags moved; starting the deployment";
        }
        if (news instanceof ReleaseNews.Migrating migrating) {
            return ":hourglass_flowing_sand: migrating…" + migrating.logs().map(link -> " <" + link + "|logs>").orElse("");
        }
        if (news instanceof ReleaseNews.DeploymentStarted) {
            return "Deployment started";
        }
        if (news instanceof ReleaseNews.DeploymentProgress progress) {
            return progress.progress();
        }
        if (news instanceof ReleaseNews.Baking baking) {
            return ":hourglass_flowing_sand: Baking, " + baking.minutesLeft() + " min left · " + alarms(baking);
        }
        if (news instanceof ReleaseNews.Finished finished) {
            return finished.progress();
        }
        if (news instanceof ReleaseNews.AlarmFired fired) {
            return fired.progress();
        }
        return null;
    }

    private static String alarms(ReleaseNews.Baking baking) {
        return String.join(" · ", baking.alarms().stream().map(alarm -> "`" + escape(alarm.name()) + "` " + switch (alarm.condition()) {
            case OK -> "OK";
            case ALARM -> ":rotating_light: ALARM";
            case INSUFFICIENT_DATA -> "insufficient data";
            case MISSING -> ":warning: no such alarm";
        }).toList());
    }

    /** The line the news adds to the release's thread, if any. */
    static Optional<String> threadLine(Environment environment, ReleaseRequest request, ReleaseNews news) {
        if (news instanceof ReleaseNews.TagMoved moved) {
            String repository = request.ask().images().size() > 1 ? "`" + escape(moved.repository()) + "` " : "";
            return Optional.of((moved.restore() ? "Restored " : "") + repository + "`" + escape(moved.tag()) + "` → `" + ImageRef.shortDigest(moved.digest()) + "`"
                    + (moved.previousDigest() == null ? " (new tag)" : " (was `" + ImageRef.shortDigest(moved.previousDigest()) + "`)"));
        }
        if (news instanceof ReleaseNews.DeploymentStopped stopped) {
            return Optional.of("Stopped the deployment of `" + ImageRef.shortDigest(stopped.digest()) + "`");
        }
        if (news instanceof ReleaseNews.Migrating migrating) {
            return Optional.of("Migration task started: `" + escape(migrating.taskId()) + "`"
                    + migrating.logs().map(link -> " · <" + link + "|logs>").orElse(""));
        }
        if (news instanceof ReleaseNews.DeploymentStarted started) {
            return Optional.of(switch (started.strategy()) {
                case ECS, CODEDEPLOY -> "Task definition registered: `" + escape(started.revision()) + "`";
                case CODEBUILD -> "Production build started: `" + escape(started.deploymentId()) + "`";
            });
        }
        if (news instanceof ReleaseNews.Baking baking && baking.starting()) {
            return Optional.of("Deployed; baking for " + baking.minutesLeft() + " min under " + alarms(baking));
        }
        if (news instanceof ReleaseNews.Finished finished && request.isAutomatic()) {
            return Optional.of(request.state() == ReleaseState.SUCCEEDED
                    ? ":white_check_mark: Automatic rollback done: `" + request.candidate().shortDigest() + "` runs again and the tags are "
                    + "as before the release. " + escape(request.environment()) + " stays locked until an approver unlocks it."
                    : ":rotating_light: <!here> *The automatic rollback FAILED*: " + (request.deployment().failure() == null
                    ? escape(finished.progress()) : failure(environment.release().orElseThrow(), request.deployment().failure()))
                    + ". " + escape(request.environment()) + " stays locked; <@" + request.requester() + "> please look now.");
        }
        if (news instanceof ReleaseNews.AlarmFired fired && request.deployment().failure() != null) {
            return Optional.of(":rotating_light: " + failure(environment.release().orElseThrow(), request.deployment().failure())
                    + (fired.rollingBack() ? ". Rolling back now, without approval. "
                    : ". Nothing was released before it, so there is nothing to roll back to; " + escape(request.environment())
                    + " stays locked. ") + String.join(" ", people(request)));
        }
        if (news instanceof ReleaseNews.Finished finished) {
            if (request.state() == ReleaseState.SUCCEEDED) {
                return Optional.of(request.deployment().bakeStartedAt() == null ? "Deployment finished: " + escape(finished.progress())
                        : "Baked " + duration(request.deployment().bakeStartedAt(), request.deployment().finishedAt())
                        + " with every alarm out of ALARM");
            }
            if (request.state() == ReleaseState.FAILED && request.deployment().failure() != null) {
                return Optional.of("Failed: " + failure(environment.release().orElseThrow(), request.deployment().failure()));
            }
        }
        return Optional.empty();
    }

    /** Why a release failed, in words; with the tags that were put back. */
    static String failure(Environment.ReleaseSettings settings, ReleaseRequest.Failure failure) {
        String why = switch (failure.cause()) {
            case DEPLOYMENT, SERVICE_REFUSED -> escape(String.valueOf(failure.detail()));
            case TAGS_IMMUTABLE -> "The repository `" + escape(failure.detail()) + "` has immutable tags, so `" + escape(settings.releaseTag())
                    + "` cannot move. Nothing was changed. Make the repository's tags MUTABLE and request again.";
            case PINNED_IMAGE_GONE -> "The pinned image " + ImageRef.shortDigest(failure.detail()) + " is no longer in the repository.";
            case TAG_MOVED -> "`" + escape(failure.detail()) + "` has moved since the rollback was requested; nothing was changed. "
                    + "Request the rollback again.";
            case STOPPED_BY_ROLLBACK -> "stopped: rollback requested by <@" + failure.detail() + ">";
            case MIGRATION -> escape(String.valueOf(failure.detail())) + " Nothing was deployed.";
            case ALARM -> "auto-rolled back: alarm `" + escape(String.valueOf(failure.detail())) + "` in ALARM"
                    + (failure.at() == null ? "" : " at " + date(failure.at()));
        };
        return failure.restored() == null ? why
                : why + " · tags restored: `" + escape(settings.releaseTag()) + "` is `" + ImageRef.shortDigest(failure.restored()) + "` again";
    }

    static SlackView drift(Environment environment, String releaseTag, String taggedDigest, String runningDigest) {
        Environment.DeploySettings deploy = environment.deploy().orElseThrow();
        String text = ":warning: *Drift in " + escape(environment.name()) + "*: `" + escape(releaseTag) + "` names `"
                + ImageRef.shortDigest(taggedDigest) + "`, but the service `" + escape(String.valueOf(deploy.service())) + "` runs `"
                + ImageRef.shortDigest(runningDigest) + "`. Someone deployed outside deploybot, or a failed release kept its tags.";
        return new SlackView(environment.name() + " drift: " + releaseTag + " is " + ImageRef.shortDigest(taggedDigest)
                + ", the service runs " + ImageRef.shortDigest(runningDigest), List.of(section(s -> s.text(markdown(text)))));
    }

    private static ButtonElement rollBack(ReleaseRequest request, Environment.ReleaseSettings settings) {
        String previous = settings.generationTags().size() > 1 ? settings.generationTags().get(1) : settings.releaseTag();
        return ButtonElement.builder().actionId(ROLL_BACK).value(request.id()).style("danger")
                .text(plain("Roll back"))
                .confirm(ConfirmationDialogObject.builder()
                        .title(plain("Roll back " + request.environment() + "?"))
                        .text(markdown("Asks to put `" + previous + "` back into service, like `/deploy rollback " + request.environment() + "`."))
                        .confirm(plain("Roll back"))
                        .deny(plain("Cancel"))
                        .build())
                .build();
    }

    /** The requester and the approvers, to be told in person. */
    private static List<String> people(ReleaseRequest request) {
        List<String> people = new ArrayList<>();
        people.add("<@" + request.requester() + ">");
        request.decision().approvals().stream().map(approval -> "<@" + approval.approver() + ">")
                .filter(mention -> !people.contains(mention)).forEach(people::add);
        return people;
    }

    private static String approvedBy(ReleaseRequest request) {
        if (request.isAutomatic()) {
            return ":rotating_light: Started by deploybot, without approval, " + date(request.decision().decidedAt());
        }
        return ":white_check_mark: Approved by " + String.join(", ", request.decision().approvals().stream()
                .map(approval -> "<@" + approval.approver() + ">").toList())
                + (request.decision().decidedAt() == null ? "" : " " + date(request.decision().decidedAt()));
    }

    private static String approvers(Environment.ReleaseSettings settings) {
        return String.join(", ", settings.approvers().stream()
                .map(id -> id.startsWith("S") ? "<!subteam^" + id + ">" : "<@" + id + ">").toList());
    }

    private static String minutes(ReleaseRequest request) {
        Instant start = request.decision().decidedAt() == null ? request.ask().requestedAt() : request.decision().decidedAt();
        return duration(start, request.deployment().finishedAt());
    }

    /** "45 s", "10 min": how long something took. */
    private static String duration(Instant start, Instant end) {
        long seconds = Math.max(0, Duration.between(start, end == null ? Instant.now() : end).toSeconds());
        return seconds < 90 ? seconds + " s" : Math.round(seconds / 60.0) + " min";
    }

    private static String icon(ReleaseState state) {
        return switch (state) {
            case PENDING -> ":rocket:";
            case APPROVED, MIGRATING, DEPLOYING -> ":arrows_counterclockwise:";
            case BAKING -> ":hourglass_flowing_sand:";
            case SUPERSEDED -> ":leftwards_arrow_with_hook:";
            case SUCCEEDED -> ":white_check_mark:";
            case FAILED -> ":x:";
            default -> ":white_circle:";
        };
    }

    private static String tags(List<String> tags) {
        return String.join(" ", tags.stream().map(tag -> "`" + escape(tag) + "`").toList());
    }

    /** Slack renders this in each reader's time zone; the fallback is UTC. */
    static String date(Instant instant) {
        return instant == null ? "" : "<!date^" + instant.getEpochSecond() + "^{date_short_pretty} {time}|" + instant + ">";
    }

}
