package dev.deploybot.config;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The production logging configuration ({@link LoggingConfigurator}) never writes a request body whole. */
class BoundedLogLinesTest {

    @Test
    void aHugeMessageFromOutsideIsCutToAFewHundredCharacters() {
        LoggerContext context = production();
        String body = "token=" + "secret-looking-value-".repeat(50_000);
        Logger logger = context.getLogger("dev.deploybot.slack.SlackDispatch");

        String line = encode(context, "text", new LoggingEvent(Logger.class.getName(), logger, Level.WARN, "refused {}",
                new IllegalArgumentException(body), new Object[]{body}));

        String firstLine = line.lines().findFirst().orElseThrow();
        assertThat(firstLine.length()).isLessThan(700);
        assertThat(line.length()).isLessThan(5_000);
    }

    @Test
    void jsonLinesAreBoundedTheSameWay() {
        LoggerContext context = production("json");
        String body = "token=" + "secret-looking-value-".repeat(50_000);
        Logger logger = context.getLogger("dev.deploybot.slack.SlackDispatch");
        IllegalArgumentException deep = new IllegalArgumentException(body, new IllegalStateException(body));
        deep.setStackTrace(java.util.stream.IntStream.range(0, 500)
                .mapToObj(i -> new StackTraceElement("dev.deploybot.Deep", "call" + i, "Deep.java", i)).toArray(StackTraceElement[]::new));

        String line = encode(context, "json", new LoggingEvent(Logger.class.getName(), logger, Level.WARN, "refused {}",
                deep, new Object[]{body}));

        assertThat(line.lines().count()).isEqualTo(1);
        assertThat(line).startsWith("{").contains("\"level\":\"WARN\"", "refused token=secret-looking-value-");
        assertThat(line.length()).isLessThan(10_000);
    }

    @Test
    void boltsParserDoesNotLogBodiesItCannotClassify() {
        LoggerContext context = production();

        assertThat(context.getLogger("com.slack.api.bolt.util.SlackRequestParser").isErrorEnabled()).isFalse();
    }

    private static LoggerContext production() {
        return production("text");
    }

    /** The context as the bot configures it with {@code LOG_FORMAT=format}. */
    private static LoggerContext production(String format) {
        LoggerContext context = new LoggerContext();
        context.putProperty("LOG_FORMAT", format);
        // The pattern prints MDC fields (request, release, environment ids); a bare context has no MDC of its own.
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        LoggingConfigurator.apply(context);
        return context;
    }

    @SuppressWarnings("unchecked")
    private static String encode(LoggerContext context, String appender, ILoggingEvent event) {
        OutputStreamAppender<ILoggingEvent> chosen = (OutputStreamAppender<ILoggingEvent>) context.getLogger(Logger.ROOT_LOGGER_NAME)
                .getAppender(appender);
        return new String(chosen.getEncoder().encode(event), StandardCharsets.UTF_8);
    }
}
