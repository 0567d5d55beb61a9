package dev.deploybot.events;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
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
    /** A date and time with every part a little beyond its range on both sides; month 0 and 13 have no name. */
    record Parts(int year, int month, int day, int hour, int minute, int second) {
        String monthName() {
            return "XxxJanFebMarAprMayJunJulAugSepOctNovDecYyy".substring(3 * month, 3 * month + 3);
        }
    }

    @Provide
    Arbitrary<Parts> parts() {
        return Combinators.combine(Arbitraries.integers().between(0, 9999), Arbitraries.integers().between(0, 13),
                Arbitraries.integers().between(0, 32), Arbitraries.integers().between(0, 25),
                Arbitraries.integers().between(0, 61), Arbitraries.integers().between(0, 61)).as(Parts::new);
    }

    @Property
    void codeBuildsFormIsReadAsTheFormatterReadsIt(@ForAll("parts") Parts at, @ForAll boolean afternoon,
                                                  @ForAll boolean paddedDay) {
        String text = String.format("%s %s, %04d %d:%02d:%02d %s", at.monthName(),
                paddedDay ? String.format("%02d", at.day()) : at.day(), at.year(), at.hour() % 14, at.minute(), at.second(),
                afternoon ? "PM" : "AM");
        assertThat(EventTime.parse(text)).as(text).isEqualTo(byFormatter(text));
    }

    @Property
    void anyTextIsReadAsTheFormatterReadsIt(@ForAll @StringLength(max = 30) String text) {
        String trimmed = text.trim();
        Instant expected = trimmed.isEmpty() ? null : Character.isDigit(trimmed.charAt(0)) ? byJdk(trimmed) : byFormatter(trimmed);
        assertThat(EventTime.parse(text)).isEqualTo(expected);
    }

    @Property
    void eventBridgesFormIsReadAsInstantParseReadsIt(@ForAll("parts") Parts at) {
        String text = String.format("%04d-%02d-%02dT%02d:%02d:%02dZ", at.year(), at.month(), at.day(), at.hour(),
                at.minute(), at.second());
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
