package dev.deploybot.events;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.Year;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

/**
 * The timestamps events carry. EventBridge's own are ISO-8601; CodeBuild's in its details are not but
 * {@code Sep 1, 2017 4:12:29 PM}, in UTC, in English whatever the account's locale. Every event carries several,
 * and the JDK's formatters cost more than the rest of reading the event, so the forms AWS sends are read by hand
 * first; anything else goes to the formatters, which decide it as before (a property test holds the two to the
 * same answers).
 */
final class EventTime {
    static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("MMM d, yyyy h:mm:ss a", Locale.US);
    private static final List<String> MONTHS = List.of("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
            "Oct", "Nov", "Dec");

    private EventTime() {
    }

    /**
     * A timestamp of CodeBuild's details, in either form: the instant, or null when the text is absent or in
     * neither form (a timestamp is never worth failing for).
     */
    static Instant parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        // trim() takes the control characters isBlank() keeps; isBlank() the Unicode spaces trim() keeps.
        if (trimmed.isBlank()) {
            return null;
        }
        // Chosen by the first character rather than by trying one and catching: every event carries several
        // timestamps, and an exception per try costs more than the rest of reading the event.
        try {
            if (Character.isDigit(trimmed.charAt(0))) {
                return isoInstant(trimmed);
            }
            LocalDateTime usual = usualForm(trimmed);
            return (usual != null ? usual : LocalDateTime.parse(trimmed, FORMAT)).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * As {@link Instant#parse}: EventBridge's own {@code 2017-09-01T16:14:28Z} read by hand, anything else (fractions
     * of a second, offsets) by the JDK.
     *
     * @throws DateTimeParseException when it is no ISO-8601 instant
     */
    static Instant isoInstant(String text) {
        if (text.length() == 20 && text.charAt(4) == '-' && text.charAt(7) == '-' && text.charAt(10) == 'T'
                && text.charAt(13) == ':' && text.charAt(16) == ':' && text.charAt(19) == 'Z') {
            LocalDateTime time = of(digits(text, 0, 4), digits(text, 5, 2), digits(text, 8, 2), digits(text, 11, 2),
                    digits(text, 14, 2), digits(text, 17, 2));
            if (time != null) {
                return time.toInstant(ZoneOffset.UTC);
            }
        }
        return Instant.parse(text);
    }

    /** {@code MMM d, yyyy h:mm:ss a} with a valid date and time; null for anything else. */
    private static LocalDateTime usualForm(String text) {
        int dayEnd = text.indexOf(',');
        int month = MONTHS.indexOf(text.length() > 4 ? text.substring(0, 3) : "") + 1;
        // The shortest: "Sep 1, 2017 4:12:29 PM", the comma at 5 and 17 characters from it on.
        if (month == 0 || text.charAt(3) != ' ' || dayEnd < 5 || dayEnd > 6 || text.length() < dayEnd + 17
                || text.charAt(dayEnd + 1) != ' ' || text.charAt(dayEnd + 6) != ' ') {
            return null;
        }
        int clock = dayEnd + 7; // "h:mm:ss AM", the hour of one or two digits
        int hourLength = text.charAt(clock + 1) == ':' ? 1 : 2;
        if (text.length() != clock + hourLength + 9 || text.charAt(clock + hourLength) != ':'
                || text.charAt(clock + hourLength + 3) != ':' || text.charAt(clock + hourLength + 6) != ' ') {
            return null;
        }
        String half = text.substring(clock + hourLength + 7);
        int hour = digits(text, clock, hourLength);
        if (hour < 1 || hour > 12 || !(half.equals("AM") || half.equals("PM"))) {
            return null;
        }
        return of(digits(text, dayEnd + 2, 4), month, digits(text, 4, dayEnd - 4), hour % 12 + (half.equals("PM") ? 12 : 0),
                digits(text, clock + hourLength + 1, 2), digits(text, clock + hourLength + 4, 2));
    }

    /** Null unless every part is in range, the day one its month has: those the formatters decide. */
    private static LocalDateTime of(int year, int month, int day, int hour, int minute, int second) {
        if (year < 1 || month < 1 || month > 12 || day < 1 || day > Month.of(month).length(Year.isLeap(year))
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        return LocalDateTime.of(year, month, day, hour, minute, second); // four digits of year: always in its range
    }

    /** The number written with exactly {@code length} ASCII digits from {@code start}; -1 when it is not. */
    private static int digits(String text, int start, int length) {
        int value = 0;
        for (int i = start; i < start + length; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
