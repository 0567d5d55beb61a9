package dev.deploybot.config;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.joran.spi.JoranException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The production logging configuration (logback.xml) never writes a request body whole. */
class BoundedLogLinesTest {

    @Test
    void aHugeMessageFromOutsideIsCutToAFewHundredCharacters() throws JoranException {
        LoggerContext context = production();
        String body = "token=" + "secret-looking-value-".repeat(50_000);
        Logger logger = context.getLogger("dev.deploybot.slack.SlackDispatch");

        String line = encode(context, new LoggingEvent(Logger.class.getName(), logger, Level.WARN, "refused {}",
                new IllegalArgumentException(body), new Object[]{body}));

        String firstLine = line.lines().findFirst().orElseThrow();
        assertThat(firstLine.length()).isLessThan(700);
        assertThat(line.length()).isLessThan(5_000);
    }

    @Test
    void boltsParserDoesNotLogBodiesItCannotClassify() throws JoranException {
        LoggerContext context = production();

        assertThat(context.getLogger("com.slack.api.bolt.util.SlackRequestParser").isErrorEnabled()).isFalse();
    }

    private static LoggerContext production() throws JoranException {
        LoggerContext context = new LoggerContext();
        // The pattern prints MDC fields (request, release, environment ids); a bare context has no MDC of its own.
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(BoundedLogLinesTest.class.getResource("/logback.xml"));
        return context;
    }

    @SuppressWarnings("unchecked")
    private static String encode(LoggerContext context, ILoggingEvent event) {
        OutputStreamAppender<ILoggingEvent> text = (OutputStreamAppender<ILoggingEvent>) context.getLogger(Logger.ROOT_LOGGER_NAME)
                .getAppender("text");
        return new String(text.getEncoder().encode(event), StandardCharsets.UTF_8);
    }
}
