package dev.deploybot.slack;

import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.composition.ConfirmationDialogObject;
import com.slack.api.model.block.composition.TextObject;
import com.slack.api.model.block.element.BlockElement;
import com.slack.api.model.block.element.ButtonElement;
import dev.deploybot.core.Environment;
import dev.deploybot.core.ImageRef;
import dev.deploybot.release.ReleaseRequest;
import dev.deploybot.release.ReleaseState;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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

    static SlackView release(Environment environment, ReleaseRequest request, String status) {
        Environment.ReleaseSettings settings = environment.release().orElseThrow();
        List<LayoutBlock> blocks = new ArrayList<>();
        String headline = icon(request.state()) + (request.isRollback() ? " *Rollback of " : " *Release to ")
                + escape(environment.name()) + "* requested by <@" + request.requester() + ">"
                + (request.note() == null ? "" : "\n>" + escape(request.note()));
        blocks.add(section(s -> s.text(markdown(headline))));
        List<TextObject> facts = new ArrayList<>();
        facts.add(markdown((request.isRollback() ? "*Back to*\n`" : "*Image*\n`") + request.candidate().shortDigest() + "`"
                + (request.candidateTags().isEmpty() ? "" : " " + tags(request.candidateTags()))));
        facts.add(markdown("*Pushed*\n" + (request.pushedAt() == null ? "unknown" : date(request.pushedAt()))));
        facts.add(markdown((request.isRollback() ? "*Runs now (rolled away from)*\n" : "*`" + escape(settings.releaseTag()) + "` now*\n")
                + (request.previousDigest() == null ? "nothing released yet" : "`" + ImageRef.shortDigest(request.previousDigest()) + "`")));
        if (request.compareUrl() != null) {
            facts.add(markdown("*Changes*\n<" + request.compareUrl() + "|compare>"));
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

    private static String progressLine(Environment.ReleaseSettings settings, ReleaseRequest request, String status) {
        return switch (request.state()) {
            case PENDING -> "Waiting for " + (settings.requiredApprovals() - request.approvals().size())
                    + " approval(s) from " + approvers(settings) + (request.approvals().isEmpty() ? "" : " · approved so far by "
                    + String.join(", ", request.approvals().stream().map(a -> "<@" + a.approver() + ">").toList()))
                    + " · expires " + date(request.expiresAt());
            case APPROVED, DEPLOYING -> approvedBy(request) + " · " + escape(status == null ? "in progress" : status);
            case SUCCEEDED -> approvedBy(request) + (request.isRollback() ? " · :white_check_mark: *Rolled back* in " : " · :white_check_mark: *Succeeded* in ") + minutes(request)
                    + (status == null ? "" : " · " + escape(status));
            case FAILED -> approvedBy(request) + " · :x: *Failed* after " + minutes(request) + ": "
                    + escape(request.failure() == null ? String.valueOf(status) : request.failure());
            case REJECTED -> ":no_entry: Rejected by <@" + request.decidedBy() + "> " + date(request.decidedAt());
            case CANCELLED -> ":heavy_multiplication_x: Cancelled by <@" + request.decidedBy() + "> " + date(request.decidedAt());
            case EXPIRED -> ":hourglass: Expired " + date(request.expiresAt()) + " without a decision";
            case SUPERSEDED -> ":leftwards_arrow_with_hook: Superseded " + (status == null ? "" : escape(status));
        };
    }

    private static List<BlockElement> buttons(ReleaseRequest request) {
        ButtonElement approve = ButtonElement.builder().actionId(APPROVE).value(request.id()).style("primary")
                .text(plain("Approve"))
                .confirm(ConfirmationDialogObject.builder()
                        .title(plain("Release to " + request.environment() + "?"))
                        .text(markdown("Moves the release tags to `" + request.candidate().shortDigest() + "` and deploys it."))
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

    private static String approvedBy(ReleaseRequest request) {
        return ":white_check_mark: Approved by " + String.join(", ", request.approvals().stream()
                .map(approval -> "<@" + approval.approver() + ">").toList())
                + (request.decidedAt() == null ? "" : " " + date(request.decidedAt()));
    }

    private static String approvers(Environment.ReleaseSettings settings) {
        return String.join(", ", settings.approvers().stream()
                .map(id -> id.startsWith("S") ? "<!subteam^" + id + ">" : "<@" + id + ">").toList());
    }

    private static String minutes(ReleaseRequest request) {
        Instant start = request.decidedAt() == null ? request.requestedAt() : request.decidedAt();
        Instant end = request.finishedAt() == null ? Instant.now() : request.finishedAt();
        long seconds = Math.max(0, Duration.between(start, end).toSeconds());
        return seconds < 90 ? seconds + " s" : Math.round(seconds / 60.0) + " min";
    }

    private static String icon(ReleaseState state) {
        return switch (state) {
            case PENDING -> ":rocket:";
            case APPROVED, DEPLOYING -> ":arrows_counterclockwise:";
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
