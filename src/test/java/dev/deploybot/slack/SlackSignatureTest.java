package dev.deploybot.slack;

import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class SlackSignatureTest {
    private static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    private static final long NOW = 1_800_000_000L;
    private final SlackSignature signature = new SlackSignature(SECRET, Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC));
    private final byte[] body = "token=x&command=%2Fdeploy&text=stg".getBytes(StandardCharsets.UTF_8);

    @Test
    void acceptsWhatSlackSigns() {
        assertThat(signature.problemWith(Long.toString(NOW), sign(NOW, body), body)).isNull();
    }

    @Test
    void acceptsTimestampsWithinFiveMinutesEitherWay() {
        assertThat(signature.problemWith(Long.toString(NOW - 299), sign(NOW - 299, body), body)).isNull();
        assertThat(signature.problemWith(Long.toString(NOW + 299), sign(NOW + 299, body), body)).isNull();
    }

    @Test
    void refusesOldAndFutureTimestampsEvenWhenSigned() {
        assertThat(signature.problemWith(Long.toString(NOW - 360), sign(NOW - 360, body), body)).contains("away");
        assertThat(signature.problemWith(Long.toString(NOW + 360), sign(NOW + 360, body), body)).contains("away");
    }

    @Test
    void timestampsAtTheEndsOfTheRangeAreRefusedWithoutOverflow() {
        // now - (Long.MIN_VALUE + now) is Long.MIN_VALUE, whose Math.abs is negative: a signed request with this
        // timestamp once passed as "0 seconds away".
        for (long timestamp : new long[]{Long.MIN_VALUE + NOW, Long.MIN_VALUE, Long.MAX_VALUE, Long.MAX_VALUE - 1, -NOW}) {
            assertThat(signature.problemWith(Long.toString(timestamp), sign(timestamp, body), body))
                    .as("timestamp %d", timestamp).contains("away");
        }
    }

    @Test
    void refusesATamperedBody() {
        byte[] tampered = "token=x&command=%2Fdeploy&text=prd".getBytes(StandardCharsets.UTF_8);
        assertThat(signature.problemWith(Long.toString(NOW), sign(NOW, body), tampered)).isEqualTo("signature does not match");
    }

    @Test
    void refusesMissingOrMalformedHeaders() {
        assertThat(signature.problemWith(null, sign(NOW, body), body)).startsWith("missing");
        assertThat(signature.problemWith(Long.toString(NOW), null, body)).startsWith("missing");
        assertThat(signature.problemWith("yesterday", sign(NOW, body), body)).contains("not a number");
        assertThat(signature.problemWith(Long.toString(NOW), "v1=abc", body)).isEqualTo("signature does not match");
    }

    @Test
    void signsTheBodyAsUtf8() {
        byte[] unicode = "text=d%C3%A9ploy&user_name=Zo%C3%AB".getBytes(StandardCharsets.UTF_8);
        assertThat(signature.problemWith(Long.toString(NOW), sign(NOW, unicode), unicode)).isNull();
    }

    private static String sign(long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(("v0:" + timestamp + ":").getBytes(StandardCharsets.UTF_8));
            return "v0=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
