package dev.deploybot.config;

import ch.qos.logback.classic.pattern.Abbreviator;
import ch.qos.logback.classic.pattern.TargetLengthBasedClassNameAbbreviator;
import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.util.CachingDateFormatter;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The text format, line for line what the pattern
 * {@code %d{ISO8601} %-5level [%thread] %logger{36} -%replace( [%mdc]){' \[\]', ''} %.-500msg%n%.-4000ex{30}}
 * writes, without logback's {@code PatternLayout}: setting that up (its table of some sixty converters, then
 * parsing the pattern) was most of what logging still cost at start-up. A message is cut at 500 characters and a
 * stack trace at 30 frames (and 4,000 characters), so no line carries more than a few hundred characters of
 * anything that came from outside.
 */
public class BoundedTextLayout extends LayoutBase<ILoggingEvent> {
    static final int MAX_MESSAGE = 500;
    static final int MAX_FRAMES = 30;
    static final int MAX_TRACE = 4000;
    private static final int LEVEL_WIDTH = 5;
    private static final int LOGGER_LENGTH = 36;
    /** The context fields, when there are none, leave no empty brackets behind. */
    private static final Pattern NO_FIELDS = Pattern.compile(" \\[\\]");

    private final CachingDateFormatter timestamps = new CachingDateFormatter(CoreConstants.ISO8601_PATTERN);
    private final Abbreviator loggers = new TargetLengthBasedClassNameAbbreviator(LOGGER_LENGTH);
    private final ThrowableProxyConverter traces = new ThrowableProxyConverter();

    @Override
    public void start() {
        traces.setContext(getContext());
        traces.setOptionList(List.of(Integer.toString(MAX_FRAMES)));
        traces.start();
        super.start();
    }

    @Override
    public void stop() {
        traces.stop();
        super.stop();
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(256);
        line.append(timestamps.format(event.getTimeStamp())).append(' ');
        String level = event.getLevel().toString();
        line.append(level);
        for (int pad = level.length(); pad < LEVEL_WIDTH; pad++) {
            line.append(' ');
        }
        line.append(" [").append(event.getThreadName()).append("] ").append(loggers.abbreviate(event.getLoggerName()))
                .append(" -").append(NO_FIELDS.matcher(" [" + fields(event.getMDCPropertyMap()) + "]").replaceAll(""))
                .append(' ').append(cut(event.getFormattedMessage(), MAX_MESSAGE)).append(CoreConstants.LINE_SEPARATOR)
                .append(cut(traces.convert(event), MAX_TRACE));
        return line.toString();
    }

    /** As {@code %mdc} writes them: {@code key=value} pairs separated by a comma and a space. */
    private static String fields(Map<String, String> mdc) {
        if (mdc == null || mdc.isEmpty()) {
            return "";
        }
        StringBuilder fields = new StringBuilder();
        for (Map.Entry<String, String> field : mdc.entrySet()) {
            if (!fields.isEmpty()) {
                fields.append(", ");
            }
            fields.append(field.getKey()).append('=').append(field.getValue());
        }
        return fields.toString();
    }

    private static String cut(String text, int max) {
        if (text == null) {
            return "";
        }
        return text.length() <= max ? text : text.substring(0, max);
    }
}
