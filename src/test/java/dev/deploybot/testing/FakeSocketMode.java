package dev.deploybot.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Slack's side of Socket Mode, over a real WebSocket: {@link FakeSlack} answers {@code apps.connections.open}
 * with this server's URL (a fresh ticket each time); a connection gets {@code hello}; the test sends envelopes
 * ({@code slash_commands}, {@code interactive}) with an {@code envelope_id}; the app's acks
 * ({@code {"envelope_id":…, "payload":…}}) are kept; {@link #disconnect} sends Slack's {@code disconnect}
 * warning and then closes the socket, as Slack does when it rotates connections.
 */
public final class FakeSocketMode implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    private final FakeSlack slack;
    // Guarded by "this".
    private final List<Channel> connections = new ArrayList<>();
    private final List<JsonNode> acks = new ArrayList<>();

    private FakeSocketMode(FakeSlack slack) throws InterruptedException {
        this.slack = slack;
        this.server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                                // The ticket rides in the query string, so match the path's start.
                                new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                                        .websocketPath("/link").checkStartsWith(true).build()), new Session());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        slack.setSocketModeUrl(nextUrl());
    }

    /** Starts the server and tells {@code slack} to hand out its URL. */
    public static FakeSocketMode start(FakeSlack slack) {
        try {
            return new FakeSocketMode(slack);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** How many WebSocket connections the app has opened so far. */
    public synchronized int connectionsOpened() {
        return connections.size();
    }

    /** Delivers {@code /command text} from a user as Slack does over Socket Mode; answers the envelope id. */
    public String slashCommand(String userId, String channelId, String command, String text) {
        ObjectNode payload = JSON.createObjectNode();
        payload.put("token", "verification-token-unused");
        payload.put("team_id", FakeSlack.TEAM_ID);
        payload.put("team_domain", "test");
        payload.put("channel_id", channelId);
        payload.put("channel_name", channelId.toLowerCase());
        payload.put("user_id", userId);
        payload.put("user_name", userId.toLowerCase());
        payload.put("command", command);
        payload.put("text", text);
        payload.put("api_app_id", "A0TEST");
        payload.put("is_enterprise_install", "false");
        payload.put("response_url", slack.responseUrl());
        payload.put("trigger_id", SlackRequests.newTriggerId());
        return send("slash_commands", payload, true);
    }

    /** A click on a button of a message the bot posted, as an {@code interactive} envelope. */
    public String clickButton(String userId, String channelId, String messageTs, String actionId, String value) {
        ObjectNode payload = JSON.createObjectNode();
        payload.put("type", "block_actions");
        payload.putObject("user").put("id", userId).put("username", userId.toLowerCase())
                .put("name", userId.toLowerCase()).put("team_id", FakeSlack.TEAM_ID);
        payload.put("api_app_id", "A0TEST");
        payload.put("token", "verification-token-unused");
        payload.putObject("container").put("type", "message").put("message_ts", messageTs)
                .put("channel_id", channelId).put("is_ephemeral", false);
        payload.put("trigger_id", SlackRequests.newTriggerId());
        payload.putObject("team").put("id", FakeSlack.TEAM_ID).put("domain", "test");
        payload.putNull("enterprise");
        payload.put("is_enterprise_install", false);
        payload.putObject("channel").put("id", channelId).put("name", channelId.toLowerCase());
        payload.putObject("message").put("type", "message").put("ts", messageTs).put("text", "")
                .put("user", FakeSlack.BOT_USER_ID).put("bot_id", FakeSlack.BOT_ID);
        payload.put("response_url", slack.responseUrl());
        ObjectNode action = payload.putArray("actions").addObject();
        action.put("action_id", actionId);
        action.put("block_id", "b1");
        action.putObject("text").put("type", "plain_text").put("text", actionId).put("emoji", true);
        action.put("value", value);
        action.put("type", "button");
        action.put("action_ts", String.format("%d.000100", System.currentTimeMillis() / 1000));
        return send("interactive", payload, false);
    }

    /** An envelope of {@code type} carrying {@code payload} as given, whatever its shape: what a broken sender could send. */
    public String envelope(String type, JsonNode payload) {
        return send(type, payload, true);
    }

    /** A frame that is not an envelope at all (not JSON, or JSON without an {@code envelope_id}). */
    public void frame(String text) {
        current().writeAndFlush(new TextWebSocketFrame(text)).syncUninterruptibly();
    }

    /** The app's ack for an envelope, once it has arrived. */
    public synchronized Optional<JsonNode> ack(String envelopeId) {
        return acks.stream().filter(ack -> envelopeId.equals(ack.path("envelope_id").asText())).findFirst();
    }

    /** Slack's rotation: the {@code disconnect} warning on the current socket, then the socket closes. */
    public void disconnect() {
        Channel current = current();
        slack.setSocketModeUrl(nextUrl());
        ObjectNode warning = JSON.createObjectNode().put("type", "disconnect").put("reason", "refresh_requested");
        warning.putObject("debug_info").put("host", "fake-socket-mode");
        current.writeAndFlush(new TextWebSocketFrame(warning.toString())).syncUninterruptibly();
        current.close().syncUninterruptibly();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private String send(String type, JsonNode payload, boolean acceptsResponsePayload) {
        String envelopeId = UUID.randomUUID().toString();
        ObjectNode envelope = JSON.createObjectNode();
        envelope.put("envelope_id", envelopeId);
        envelope.set("payload", payload);
        envelope.put("type", type);
        envelope.put("accepts_response_payload", acceptsResponsePayload);
        current().writeAndFlush(new TextWebSocketFrame(envelope.toString())).syncUninterruptibly();
        return envelopeId;
    }

    private synchronized Channel current() {
        return connections.stream().filter(Channel::isActive).reduce((first, second) -> second)
                .orElseThrow(() -> new IllegalStateException("the app has no open Socket Mode connection"));
    }

    private String nextUrl() {
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        return "ws://127.0.0.1:" + port + "/link?ticket=" + UUID.randomUUID();
    }

    private final class Session extends SimpleChannelInboundHandler<TextWebSocketFrame> {
        @Override
        public void userEventTriggered(ChannelHandlerContext context, Object event) throws Exception {
            if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                synchronized (FakeSocketMode.this) {
                    connections.add(context.channel());
                }
                ObjectNode hello = JSON.createObjectNode().put("type", "hello").put("num_connections", 1);
                hello.putObject("debug_info").put("host", "fake-socket-mode").put("approximate_connection_time", 18060);
                hello.putObject("connection_info").put("app_id", "A0TEST");
                context.writeAndFlush(new TextWebSocketFrame(hello.toString()));
            }
            super.userEventTriggered(context, event);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext context, TextWebSocketFrame frame) throws Exception {
            JsonNode message = JSON.readTree(frame.text());
            if (message.has("envelope_id")) {
                synchronized (FakeSocketMode.this) {
                    acks.add(message);
                }
            }
        }
    }

}
