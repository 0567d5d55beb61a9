package dev.deploybot.slack;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The one pacing policy, as plain rules. */
class SlackPaceTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private final SlackPace pace = new SlackPace(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofMinutes(1));

    @Test
    void aChannelTakesOneNewMessagePerSecond() {
        assertThat(pace.mayPost("C1", NOW)).isTrue();
        pace.posted("C1", NOW);
        assertThat(pace.mayPost("C1", NOW.plusMillis(999))).isFalse();
        assertThat(pace.mayPost("C2", NOW)).as("other channels are not held").isTrue();
        assertThat(pace.mayPost("C1", NOW.plusSeconds(1))).isTrue();
    }

    @Test
    void aRetryAfterHoldsTheChannelAndIsNeverShortenedByALaterPost() {
        pace.hold("C1", NOW.plusSeconds(30));
        pace.posted("C1", NOW);
        assertThat(pace.mayPost("C1", NOW.plusSeconds(29))).isFalse();
        assertThat(pace.mayPost("C1", NOW.plusSeconds(30))).isTrue();
    }

    @Test
    void updatesAreSpacedAndFailuresWaitLongerEachTimeUpToTheCap() {
        assertThat(pace.nextUpdate(NOW)).isEqualTo(NOW.plusSeconds(2));
        assertThat(pace.retryAt(NOW, 0)).isEqualTo(NOW.plusSeconds(1));
        assertThat(pace.retryAt(NOW, 3)).isEqualTo(NOW.plusSeconds(8));
        assertThat(pace.retryAt(NOW, 50)).isEqualTo(NOW.plusSeconds(60));
    }
}
