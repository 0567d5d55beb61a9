package dev.deploybot.events;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The timestamps read by hand answer exactly what the JDK's formatters answer, for the usual forms and for others. */
class EventTimeTest {
    @Property
    void codeBuildsFormIsReadAsTheFormatterReadsIt(@ForAll @IntRange(min = 1, max = 9999) int year,
                                                  @ForAll @IntRange(min = 1, max = 12) int month,
                                                  @ForAll @IntRange(min = 0, max = 32) int day,
                                                  @ForAll @IntRange(min = 0, max = 13) int hour,
                                                  @ForAll @IntRange(min = 0, max = 61) int minute,
                                                  @ForAll @IntRange(min = 0, max = 61) int second,
                                                  @ForAll boolean afternoon, @ForAll boolean paddedDay) {
        String text = String.format("%s %s, %04d %d:%02d:%02d %s", "JanFebMarAprMayJunJulAugSepOctNovDec"
                        .substring(3 * (month - 1), 3 * month), paddedDay ? String.format("%02d", day) : day, year, hour,
                minute, second, afternoon ? "PM" : "AM");
        assertThat(EventTime.parse(text)).as(text).isEqualTo(byFormatter(text));
    }

    @Property
    void anyTextIsReadAsTheFormatterReadsIt(@ForAll @StringLength(max = 30) String text) {
        String trimmed = text.trim();
        Instant expected = trimmed.isEmpty() ? null : Character.isDigit(trimmed.charAt(0)) ? byJdk(trimmed) : byFormatter(trimmed);
        assertThat(EventTime.parse(text)).isEqualTo(expected);
    }

    @Property
    void eventBridgesFormIsReadAsInstantParseReadsIt(@ForAll @IntRange(min = 0, max = 9999) int year,
                                                    @ForAll @IntRange(min = 0, max = 13) int month,
                                                    @ForAll @IntRange(min = 0, max = 32) int day,
                                                    @ForAll @IntRange(min = 0, max = 25) int hour,
                                                    @ForAll @IntRange(min = 0, max = 61) int minute,
                                                    @ForAll @IntRange(min = 0, max = 61) int second) {
        String text = String.format("%04d-%02d-%02dT%02d:%02d:%02dZ", year, month, day, hour, minute, second);
        assertThat(Optional.ofNullable(byIsoInstant(text))).as(text).isEqualTo(Optional.ofNullable(byJdk(text)));
    }

    @Test
    void theFormsAwsSends() {
        assertThat(EventTime.parse("Sep 1, 2017 4:12:29 PM")).isEqualTo(Instant.parse("2017-09-01T16:12:29Z"));
        assertThat(EventTime.parse("Dec 31, 2026 12:00:00 AM")).isEqualTo(Instant.parse("2026-12-31T00:00:00Z"));
        assertThat(EventTime.parse(" Feb 29, 2028 12:59:59 PM ")).isEqualTo(Instant.parse("2028-02-29T12:59:59Z"));
        assertThat(EventTime.isoInstant("2017-09-01T16:14:28Z")).isEqualTo(Instant.parse("2017-09-01T16:14:28Z"));
        assertThat(EventTime.isoInstant("2026-11-29T14:02:40.987Z")).isEqualTo(Instant.parse("2026-11-29T14:02:40.987Z"));
        assertThat(EventTime.parse("yesterday")).isNull();
    }

    private static Instant byFormatter(String text) {
        try {
            return LocalDateTime.parse(text, EventTime.FORMAT).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Instant byJdk(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Instant byIsoInstant(String text) {
        try {
            return EventTime.isoInstant(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
