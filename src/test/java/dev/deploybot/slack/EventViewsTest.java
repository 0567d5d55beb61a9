package dev.deploybot.slack;

import com.slack.api.model.block.ActionsBlock;
import com.slack.api.model.block.element.ButtonElement;
import com.slack.api.util.json.GsonFactory;
import dev.deploybot.activity.BuildChange;
import dev.deploybot.activity.ImagePushed;
import dev.deploybot.activity.Subject;
import dev.deploybot.activity.Tracked;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EventViewsTest {
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    @Test
    void anImageReadyMessageOffersAReleaseRequestForItsEnvironment() {
        ImagePushed pushed = new ImagePushed("team/app", "latest", "sha256:" + "a".repeat(64), T0);
        Tracked tracked = Tracked.first(new Subject(Subject.Kind.IMAGE, "prd@" + pushed.digest()), pushed, "C0PRD",
                true, false, null, "prd", false);

        SlackView view = EventViews.status(tracked);
        assertThat(json(view)).contains("New image ready for *prd*", "team/app:latest", "aaaaaaaaaaaa");
        assertThat(buttons(view)).singleElement().satisfies(button -> {
            assertThat(button.getActionId()).isEqualTo("release_request");
            assertThat(button.getValue()).isEqualTo("prd");
        });
    }

    @Test
    void whatABuildPrintsCannotPingTheChannelOrBreakTheCodeBlock() {
        BuildChange failed = new BuildChange("app:1", "app", 4, "FAILED", "COMPLETED", "main", "<!channel>", T0,
                T0.plusSeconds(75), new BuildChange.FailedPhase("BUILD", "FAILED", "boom <!here> ``` & more"),
                "javascript:alert(1)", T0.plusSeconds(76));
        Tracked tracked = Tracked.first(Subject.build("app:1"), failed, "C0CI", true, false, null, null, false);

        String json = json(EventViews.status(tracked));
        assertThat(json).doesNotContain("<!channel>", "<!here>").contains("&lt;!channel&gt;", "took 1m 15s");
        assertThat(buttons(EventViews.status(tracked))).as("only https links become buttons; not retryable").isEmpty();
        assertThat(EventViews.duration(Duration.ofSeconds(3725))).isEqualTo("1h 2m");
    }

    private static String json(SlackView view) {
        return GsonFactory.createSnakeCase().newBuilder().disableHtmlEscaping().create().toJson(view.blocks());
    }

    private static List<ButtonElement> buttons(SlackView view) {
        return view.blocks().stream().filter(ActionsBlock.class::isInstance).map(ActionsBlock.class::cast)
                .flatMap(actions -> actions.getElements().stream()).filter(ButtonElement.class::isInstance)
                .map(ButtonElement.class::cast).toList();
    }

}
