package dev.deploybot.config;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The bot's logging, set up in code (found by logback through {@code META-INF/services}) rather than from a
 * {@code logback.xml}: reading XML loaded some 500 classes of logback's configuration machinery and was about a
 * tenth of the start-up time.
 * <p>
 * One console appender: text by default ({@link BoundedTextLayout}), {@code LOG_FORMAT=json} for one JSON object
 * per line ({@link BoundedJsonEncoder}: CloudWatch Logs Insights, Loki, Datadog), both with the MDC fields request,
 * release and environment. Bounded in both formats: a message is cut at 500 characters and a stack trace at 30
 * frames, so no line carries more than a few hundred characters of anything that came from outside.
 * <p>
 * A {@code logback-test.xml} on the class path or a file named by {@code -Dlogback.configurationFile} still wins:
 * this configurator then steps aside for logback's own.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public class LoggingConfigurator extends ContextAwareBase implements Configurator {
    static final String FORMAT = "LOG_FORMAT";
    static final String JSON = "json";
    static final String TEXT = "text";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null
                || LoggingConfigurator.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        apply(context);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** The bot's logging on {@code context}, its format chosen by {@code LOG_FORMAT}. */
    static void apply(LoggerContext context) {
        context.getLogger("com.slack.api").setLevel(Level.WARN);
        // It logs the whole body of a request it cannot classify (any token= field included); SlackDispatch logs a bounded line.
        context.getLogger("com.slack.api.bolt.util.SlackRequestParser").setLevel(Level.OFF);
        context.getLogger("software.amazon.awssdk").setLevel(Level.WARN);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        String format = JSON.equals(format(context)) ? JSON : TEXT;
        root.addAppender(console(context, format, JSON.equals(format) ? json(context) : text(context)));
    }

    /** As logback's {@code ${LOG_FORMAT}} looks it up: a property of the context, a system property, the environment. */
    private static String format(LoggerContext context) {
        String format = context.getProperty(FORMAT);
        if (format == null) {
            format = System.getProperty(FORMAT);
        }
        return format == null ? System.getenv(FORMAT) : format;
    }

    private static Encoder<ILoggingEvent> text(LoggerContext context) {
        BoundedTextLayout layout = new BoundedTextLayout();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        return encoder;
    }

    private static Encoder<ILoggingEvent> json(LoggerContext context) {
        BoundedJsonEncoder encoder = new BoundedJsonEncoder();
        encoder.setContext(context);
        encoder.setWithSequenceNumber(false);
        encoder.setWithNanoseconds(false);
        encoder.setWithContext(false);
        encoder.setWithArguments(false);
        encoder.setWithMessage(false);
        encoder.setWithFormattedMessage(true);
        encoder.start();
        return encoder;
    }

    private static ConsoleAppender<ILoggingEvent> console(LoggerContext context, String name, Encoder<ILoggingEvent> encoder) {
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName(name);
        appender.setEncoder(encoder);
        appender.start();
        return appender;
    }
}
