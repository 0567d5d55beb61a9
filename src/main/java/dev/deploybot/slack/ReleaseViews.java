package dev.deploybot.slack;

import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.composition.ConfirmationDialogObject;
import com.slack.api.model.block.composition.TextObject;
import com.slack.api.model.block.element.BlockElement;
import com.slack.api.model.block.element.ButtonElement;
import dev.deploybot.core.Environment;
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

    private ReleaseViews() {
    }

    static SlackView release(Environment environment, ReleaseRequest request, String status) {
        Environment.ReleaseSettings settings = environment.release().orElseThrow();
        List<LayoutBlock> blocks = new ArrayList<>();
        String headline = icon(request.state()) + " *Release to " + escape(environment.name()) + "* requested by <@"
                + request.requester() + ">" + (request.note() == null ? "" : "\n>" + escape(request.note()));
        blocks.add(section(s -> s.text(markdown(headline))));
        List<TextObject> facts = new ArrayList<>();
        facts.add(markdown("*Image*\n`" + request.candidate().shortDigest() + "`"
                + (request.candidateTags().isEmpty() ? "" : " " + tags(request.candidateTags()))));
        facts.add(markdown("*Pushed*\n" + (request.pushedAt() == null ? "unknown" : date(request.pushedAt()))));
        facts.add(markdown("*`" + escape(settings.releaseTag()) + "` now*\n" + (request.previousDigest() == null
                ? "nothing released yet" : "`" + shortDigest(request.previousDigest()) + "`")));
        if (request.compareUrl() != null) {
            facts.add(markdown("*Changes*\n<" + request.compareUrl() + "|compare>"));
        }
        blocks.add(section(s -> s.fields(facts)));
        blocks.add(context(c -> c.elements(List.of(markdown(progressLine(settings, request, status))))));
        if (request.state() == ReleaseState.PENDING) {
            blocks.add(actions(a -> a.blockId("release_decision").elements(buttons(request))));
        }
        String fallback = environment.name() + " release " + request.candidate().shortDigest() + ": "
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
            case SUCCEEDED -> approvedBy(request) + " · :white_check_mark: *Succeeded* in " + minutes(request)
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

    static String shortDigest(String digest) {
        return digest.startsWith("sha256:") ? digest.substring(7, 19) : digest;
    }
}
