package dev.deploybot.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Posts events to an app's {@code POST /events/aws} the way an EventBridge API destination does. */
public final class EventRequests {
    public static final String HEADER = "x-deploybot-api-key";
    private final URI uri;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public EventRequests(URI appBaseUrl) {
        String base = appBaseUrl.toString();
        this.uri = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/events/aws");
    }

    /** @param apiKey sent in {@link #HEADER}; null sends no key at all */
    public HttpResponse<String> post(String body, String apiKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "Amazon/EventBridge/ApiDestinations")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (apiKey != null) {
            request.header(HEADER, apiKey);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
