package dev.deploybot.testing;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The fake speaks Socket Mode to any WebSocket client: open, hello, envelope, ack, disconnect. */
class FakeSocketModeTest {
    @Test
    void handsOutAUrlSaysHelloDeliversEnvelopesAndKeepsAcks() throws Exception {
        try (FakeSlack slack = FakeSlack.start(); FakeSocketMode socket = FakeSocketMode.start(slack)) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(slack.apiUrl() + "apps.connections.open"))
                    .header("Authorization", "Bearer " + FakeSlack.DEFAULT_TOKEN)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.body()).contains("not_allowed_token_type");
            HttpResponse<String> opened = http.send(HttpRequest.newBuilder(URI.create(slack.apiUrl() + "apps.connections.open"))
                    .header("Authorization", "Bearer xapp-1-test")
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            String url = opened.body().replaceAll(".*\"url\":\"([^\"]+)\".*", "$1");

            List<String> received = new CopyOnWriteArrayList<>();
            WebSocket client = http.newWebSocketBuilder().buildAsync(URI.create(url), new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                    received.add(data.toString());
                    webSocket.request(1);
                    return null;
                }
            }).join();
            await().until(() -> received.stream().anyMatch(message -> message.contains("\"hello\"")));

            String envelope = socket.slashCommand("U0DEV", "C0STG", "/deploy", "stg");
            await().until(() -> received.stream().anyMatch(message -> message.contains(envelope)));
            client.sendText("{\"envelope_id\":\"" + envelope + "\",\"payload\":{\"text\":\"ok\"}}", true).join();
            await().until(() -> socket.ack(envelope).isPresent());
            assertThat(socket.ack(envelope).orElseThrow().path("payload").path("text").asText()).isEqualTo("ok");

            socket.disconnect();
            await().until(() -> received.stream().anyMatch(message -> message.contains("\"disconnect\"")));
        }
    }
}
