package dev.deploybot.config;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The text layout writes exactly what the bot's former logback.xml pattern wrote. */
class BoundedTextLayoutTest {
    /** The pattern of the former logback.xml. */
    private static final String FORMER_PATTERN =
            "%d{ISO8601} %-5level [%thread] %logger{36} -%replace( [%mdc]){' \\[\\]', ''} %.-500msg%n%.-4000ex{30}";

    private final LoggerContext context = new LoggerContext();
    private final BoundedTextLayout layout = new BoundedTextLayout();
    private final PatternLayout former = new PatternLayout();

    @BeforeEach
    void start() {
        layout.setContext(context);
        layout.start();
        former.setContext(context);
        former.setPattern(FORMER_PATTERN);
        former.start();
    }

    @Test
    void aPlainLineWithoutContextFields() {
        assertSameLine(event("dev.deploybot.events.Housekeeping", Level.INFO, "removed {} events", null, Map.of(), 42));
    }

    @Test
    void contextFieldsInTheirOrder() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("request", "req-1");
        fields.put("release", "r-9");
        fields.put("environment", "prd");

        assertSameLine(event("dev.deploybot.release.ReleasePipeline", Level.INFO, "paused", null, fields));
    }

    @Test
    void everyLevelPaddedAndLongLoggerNamesAbbreviated() {
        for (Level level : List.of(Level.TRACE, Level.DEBUG, Level.INFO, Level.WARN, Level.ERROR)) {
            assertSameLine(event("software.amazon.awssdk.core.internal.http.pipeline.stages.RetryableStage", level, "x", null, Map.of()));
        }
    }

    @Test
    void aHugeMessageAndADeepStackTraceAreCutTheSameWay() {
        String body = "token=" + "secret-looking-value-".repeat(5_000);
        IllegalArgumentException deep = new IllegalArgumentException(body, new IllegalStateException("cause"));
        deep.setStackTrace(IntStream.range(0, 500)
                .mapToObj(i -> new StackTraceElement("dev.deploybot.Deep", "call" + i, "Deep.java", i)).toArray(StackTraceElement[]::new));

        assertSameLine(event("dev.deploybot.slack.SlackDispatch", Level.WARN, "refused {}", deep, Map.of("request", "r"), body));
        assertSameLine(event("dev.deploybot.slack.SlackDispatch", Level.ERROR, "failed", new RuntimeException("short"), Map.of()));
    }

    private void assertSameLine(LoggingEvent event) {
        assertThat(layout.doLayout(event)).isEqualTo(former.doLayout(event));
    }

    private LoggingEvent event(String logger, Level level, String message, Throwable thrown, Map<String, String> mdc, Object... arguments) {
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), context.getLogger(logger), level, message, thrown,
                arguments.length == 0 ? null : arguments);
        event.setThreadName("blocking-executor-thread-3");
        event.setMDCPropertyMap(mdc);
        return event;
    }
}
