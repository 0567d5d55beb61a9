package dev.deploybot.config;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

/** The logging set up in code: found by logback, one appender chosen by LOG_FORMAT, the text lines as before. */
class LoggingConfiguratorTest {

    @Test
    void logbackFindsItAsAConfigurator() {
        assertThat(ServiceLoader.load(Configurator.class).stream().map(ServiceLoader.Provider::type))
                .contains(LoggingConfigurator.class);
    }

    @Test
    void oneAppenderChosenByTheFormatAndTextUnlessJsonIsAsked() {
        assertThat(appenderNames(configured(null))).containsExactly("text");
        assertThat(appenderNames(configured("json"))).containsExactly("json");
        assertThat(appenderNames(configured("xml"))).containsExactly("text");
    }

    @Test
    void theLevelsOfTheNoisyLibraries() {
        LoggerContext context = configured(null);

        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.INFO);
        assertThat(context.getLogger("com.slack.api").getLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("software.amazon.awssdk").getLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("com.slack.api.bolt.util.SlackRequestParser").getLevel()).isEqualTo(Level.OFF);
    }

    @Test
    void textLinesShowTheContextFieldsOnlyWhenThereAreSome() {
        LoggerContext context = configured(null);
        Logger logger = context.getLogger("dev.deploybot.release.ReleasePipeline");

        LoggingEvent withContext = new LoggingEvent(Logger.class.getName(), logger, Level.INFO, "paused", null, null);
        withContext.setMDCPropertyMap(Map.of("release", "r-1"));
        LoggingEvent without = new LoggingEvent(Logger.class.getName(), logger, Level.INFO, "housekeeping", null, null);
        without.setMDCPropertyMap(Map.of());

        assertThat(text(context, withContext)).matches(
                "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3} INFO  \\[.+] d\\.deploybot\\.release\\.ReleasePipeline - \\[release=r-1] paused\\R");
        assertThat(text(context, without)).endsWith("d.deploybot.release.ReleasePipeline - housekeeping" + System.lineSeparator());
    }

    private static LoggerContext configured(String format) {
        LoggerContext context = new LoggerContext();
        if (format != null) {
            context.putProperty(LoggingConfigurator.FORMAT, format);
        }
        context.setMDCAdapter(new LogbackMDCAdapter());
        LoggingConfigurator.apply(context);
        return context;
    }

    private static java.util.List<String> appenderNames(LoggerContext context) {
        java.util.List<String> names = new java.util.ArrayList<>();
        context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().forEachRemaining(appender -> names.add(appender.getName()));
        return names;
    }

    @SuppressWarnings("unchecked")
    private static String text(LoggerContext context, LoggingEvent event) {
        OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
                (OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent>) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("text");
        return new String(appender.getEncoder().encode(event), StandardCharsets.UTF_8);
    }
}
