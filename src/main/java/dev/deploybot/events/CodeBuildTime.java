package dev.deploybot.events;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * CodeBuild's event timestamps are not ISO-8601 but {@code Sep 1, 2017 4:12:29 PM}, in UTC, in English
 * whatever the account's locale.
 */
final class CodeBuildTime {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("MMM d, yyyy h:mm:ss a", Locale.US);

    private CodeBuildTime() {
    }

    /** The instant, or null when the text is absent or not in that form (a timestamp is never worth failing for). */
    static Instant parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String trimmed = text.trim();
        // Chosen by the first character rather than by trying one and catching: every event carries several
        // timestamps, and an exception per try costs more than the rest of reading the event.
        try {
            return Character.isDigit(trimmed.charAt(0)) ? Instant.parse(trimmed)
                    : LocalDateTime.parse(trimmed, FORMAT).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
