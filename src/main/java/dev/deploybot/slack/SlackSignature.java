package dev.deploybot.slack;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Slack's request signing, checked strictly: HMAC-SHA256 over {@code v0:timestamp:body}, compared in
 * constant time, and a timestamp no more than five minutes away in either direction (Bolt's own
 * check lets future timestamps through, which turns a leaked request into a long-lived one).
 */
final class SlackSignature {
    static final Duration MAX_SKEW = Duration.ofMinutes(5);
    /**
     * One keyed Mac per handler thread: looking the algorithm up and keying it cost more than the hash of a small
     * request, and a Mac is ready for the next message with the same key after each doFinal.
     */
    private final ThreadLocal<Mac> macs;
    private final Clock clock;

    SlackSignature(String signingSecret, Clock clock) {
        byte[] secret = signingSecret.getBytes(StandardCharsets.UTF_8);
        this.macs = ThreadLocal.withInitial(() -> keyed(secret));
        this.clock = clock;
    }

    private static Mac keyed(byte[] secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Why the request is not Slack's, or null when it is. */
    String problemWith(String timestampHeader, String signatureHeader, byte[] body) {
        if (timestampHeader == null || signatureHeader == null) {
            return "missing X-Slack-Request-Timestamp or X-Slack-Signature";
        }
        long timestamp;
        try {
            timestamp = Long.parseLong(timestampHeader.trim());
        } catch (NumberFormatException e) {
            return "timestamp is not a number";
        }
        // Compared against a window around now, never by subtracting: now - timestamp overflows for a
        // timestamp near Long.MIN_VALUE, and Math.abs(Long.MIN_VALUE) is negative.
        long now = clock.instant().getEpochSecond();
        if (timestamp < now - MAX_SKEW.toSeconds() || timestamp > now + MAX_SKEW.toSeconds()) {
            return "timestamp is more than " + MAX_SKEW.toSeconds() + "s away from now";
        }
        byte[] expected = ("v0=" + hmac(timestampHeader.trim(), body)).getBytes(StandardCharsets.UTF_8);
        byte[] given = signatureHeader.trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, given) ? null : "signature does not match";
    }

    private String hmac(String timestamp, byte[] body) {
        Mac mac = macs.get();
        mac.update(("v0:" + timestamp + ":").getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }
}
