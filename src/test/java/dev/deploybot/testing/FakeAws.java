package dev.deploybot.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * One loopback endpoint for every fake AWS JSON 1.1 service ({@code POST /} with {@code X-Amz-Target}),
 * dispatching on the target prefix. Point SDK clients at {@link #endpoint()} with {@code endpointOverride}
 * or the {@code aws.endpointUrl} system property. Signatures are not checked, but a request must carry a
 * SigV4 {@code Authorization} header, as AWS insists. Thread-safe.
 */
public final class FakeAws implements AutoCloseable {

    public static final String REGION = "eu-west-1";
    public static final String ACCOUNT_ID = "123456789012";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTENT_TYPE = "application/x-amz-json-1.1";

    private final Map<String, AwsJsonService> services = new ConcurrentHashMap<>();
    private final LoopbackServer server;
    private final FakeCodeBuild codeBuild;
    private final FakeEcr ecr;
    private final FakeEcs ecs;
    private final FakeCodeDeploy codeDeploy;
    private final FakeCloudWatch cloudWatch;
    private final FakeLogs logs;
    private volatile Clock clock = Clock.systemUTC();
    private final Map<String, CountDownLatch> hanging = new ConcurrentHashMap<>();

    // Guarded by "this".
    private final List<AwsCall> calls = new ArrayList<>();
    private final Map<String, Deque<AwsError>> nextFailures = new HashMap<>();
    private final Map<String, Integer> injectionPointsPassed = new HashMap<>();
    private final Map<String, Map<Integer, AwsError>> scheduledFailures = new HashMap<>();

    private FakeAws() {
        this.codeBuild = new FakeCodeBuild(this);
        register(FakeCodeBuild.TARGET_PREFIX, codeBuild);
        this.ecr = new FakeEcr(this);
        register(FakeEcr.TARGET_PREFIX, ecr);
        this.ecs = new FakeEcs(this);
        register(FakeEcs.TARGET_PREFIX, ecs);
        this.codeDeploy = new FakeCodeDeploy(this, ecs);
        register(FakeCodeDeploy.TARGET_PREFIX, codeDeploy);
        this.cloudWatch = new FakeCloudWatch(this);
        this.logs = new FakeLogs(this);
        register(FakeLogs.TARGET_PREFIX, logs);
        this.server = LoopbackServer.start("fake-aws", this::handle);
    }

    /** Starts with {@link FakeCodeBuild}, {@link FakeEcr}, {@link FakeEcs}, {@link FakeCodeDeploy} and {@link FakeLogs} registered. */
    public static FakeAws start() {
        return new FakeAws();
    }

    public URI endpoint() {
        return server.baseUri();
    }

    /** Credentials the SDK can sign with; the fake accepts any. */
    public static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret"));
    }

    /**
     * Finishes an SDK client builder so the client talks to this fake: endpoint, region, any credentials
     * and the JDK HTTP client production uses, e.g. {@code fake.client(EcsClient.builder())}.
     */
    public <B extends AwsClientBuilder<B, C> & SdkSyncClientBuilder<B, C>, C> C client(B builder) {
        return builder.endpointOverride(endpoint())
                .region(Region.of(REGION))
                .credentialsProvider(credentials())
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @Override
    public void close() {
        stopHanging();
        server.close();
    }

    /** Routes requests whose {@code X-Amz-Target} is {@code targetPrefix + "." + operation} to {@code service}. */
    public void register(String targetPrefix, AwsJsonService service) {
        services.put(targetPrefix, service);
    }

    public FakeCodeBuild codeBuild() {
        return codeBuild;
    }

    public FakeEcr ecr() {
        return ecr;
    }

    public FakeEcs ecs() {
        return ecs;
    }

    public FakeCodeDeploy codeDeploy() {
        return codeDeploy;
    }

    public FakeCloudWatch cloudWatch() {
        return cloudWatch;
    }

    public FakeLogs logs() {
        return logs;
    }

    /** The clock services read "now" from; replace it to step past time windows such as idempotency tokens. */
    public Clock clock() {
        return clock;
    }

    public void setClock(Clock clock) {
        this.clock = clock;
    }

    /** The next call of {@code target} (e.g. {@code CodeBuild_20161006.StartBuild}) fails; repeated calls queue up. */
    public synchronized void failNext(String target, AwsError error) {
        nextFailures.computeIfAbsent(target, t -> new ArrayDeque<>()).add(error);
    }

    /**
     * The {@code n}-th call of {@code target} from now fails ({@code n = 1} is the next one), once; the calls before
     * it run normally. Lets a test stop a sequence of writes after each step in turn. Every request counts, including
     * the SDK's own retries, so inject non-retryable errors (4xx other than throttling) to stop a step cleanly.
     */
    public synchronized void failOnCall(String target, int n, AwsError error) {
        if (n < 1) {
            throw new IllegalArgumentException("n counts from 1 (the next call): " + n);
        }
        int at = injectionPointsPassed.getOrDefault(target, 0) + n;
        AwsError previous = scheduledFailures.computeIfAbsent(target, t -> new HashMap<>()).putIfAbsent(at, error);
        if (previous != null) {
            throw new IllegalStateException("call " + n + " of " + target + " is already set to fail with " + previous.type());
        }
    }

    /**
     * Calls of {@code target} get no answer until {@link #stopHanging()}: a stalled endpoint, to show that a
     * caller's time budget holds. The call is recorded only once it is answered.
     */
    public void hang(String target) {
        hanging.putIfAbsent(target, new CountDownLatch(1));
    }

    public void stopHanging() {
        hanging.values().forEach(CountDownLatch::countDown);
        hanging.clear();
    }

    private void waitIfHanging(String target) {
        CountDownLatch latch = hanging.get(target);
        if (latch != null) {
            try {
                latch.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public synchronized List<AwsCall> calls() {
        return List.copyOf(calls);
    }

    public synchronized List<AwsCall> calls(String target) {
        return calls.stream().filter(c -> target.equals(c.target())).toList();
    }

    /** AWS JSON timestamps: epoch seconds with millisecond fraction, never in exponent notation. */
    static BigDecimal timestamp(Instant instant) {
        return BigDecimal.valueOf(instant.toEpochMilli()).movePointLeft(3);
    }

    // ---- HTTP ----

    private void handle(HttpExchange exchange) throws IOException {
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType != null && contentType.startsWith("application/x-www-form-urlencoded")) {
            handleQuery(exchange);
            return;
        }
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        String body = LoopbackServer.readBody(exchange);
        JsonNode request;
        JsonNode response;
        try {
            request = body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (JsonProcessingException e) {
            request = JSON.getNodeFactory().textNode(body);
        }
        try {
            response = dispatch(exchange, target, request);
        } catch (AwsError error) {
            record(new AwsCall(target, request, error.type()));
            respondWithError(exchange, error);
            return;
        }
        record(new AwsCall(target, request, null));
        LoopbackServer.respond(exchange, 200, CONTENT_TYPE, response.toString(), requestId());
    }

    /** CloudWatch speaks the AWS query protocol at this SDK version: form in, XML out. */
    private void handleQuery(HttpExchange exchange) throws IOException {
        ObjectNode request = FakeCloudWatch.parameters(LoopbackServer.readBody(exchange));
        String action = request.path("Action").asText();
        String target = FakeCloudWatch.TARGET_PREFIX + "." + action;
        String requestId = UUID.randomUUID().toString();
        String response;
        try {
            checkSigned(exchange);
            waitIfHanging(target);
            Optional<AwsError> injected = takeInjectedFailure(target);
            if (injected.isPresent()) {
                throw injected.get();
            }
            response = cloudWatch.handle(action, request);
        } catch (AwsError error) {
            record(new AwsCall(target, request, error.type()));
            LoopbackServer.respond(exchange, error.httpStatus(), "text/xml", FakeCloudWatch.errorXml(error, requestId),
                    Map.of("x-amzn-RequestId", requestId));
            return;
        }
        record(new AwsCall(target, request, null));
        LoopbackServer.respond(exchange, 200, "text/xml", response, Map.of("x-amzn-RequestId", requestId));
    }

    private static void checkSigned(HttpExchange exchange) throws AwsError {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !authorization.startsWith("AWS4-HMAC-SHA256")) {
            throw new AwsError(403, "MissingAuthenticationTokenException", "Missing Authentication Token");
        }
    }

    private JsonNode dispatch(HttpExchange exchange, String target, JsonNode request) throws AwsError {
        checkSigned(exchange);
        int dot = target == null ? -1 : target.indexOf('.');
        AwsJsonService service = dot < 0 ? null : services.get(target.substring(0, dot));
        if (!exchange.getRequestMethod().equals("POST") || service == null) {
            throw AwsError.unknownOperation(target);
        }
        if (!request.isObject()) {
            throw new AwsError("SerializationException", "Start of structure or map found where not expected.");
        }
        waitIfHanging(target);
        Optional<AwsError> injected = takeInjectedFailure(target);
        if (injected.isPresent()) {
            throw injected.get();
        }
        try {
            return service.handle(target.substring(dot + 1), request);
        } catch (RuntimeException e) {
            // A bug in a fake service answers as AWS answers its own bugs, so the SDK's 5xx path is exercised.
            throw new AwsError(500, "InternalFailure", "fake service failed: " + e);
        }
    }

    private synchronized Optional<AwsError> takeInjectedFailure(String target) {
        int call = injectionPointsPassed.merge(target, 1, Integer::sum);
        Map<Integer, AwsError> scheduled = scheduledFailures.get(target);
        AwsError onThisCall = scheduled == null ? null : scheduled.remove(call);
        if (onThisCall != null) {
            return Optional.of(onThisCall);
        }
        Deque<AwsError> queue = nextFailures.get(target);
        return Optional.ofNullable(queue == null ? null : queue.poll());
    }

    private synchronized void record(AwsCall call) {
        calls.add(call);
    }

    private static void respondWithError(HttpExchange exchange, AwsError error) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("__type", error.type());
        body.put("message", error.getMessage());
        Map<String, String> headers = new HashMap<>(requestId());
        headers.put("x-amzn-ErrorType", error.type());
        LoopbackServer.respond(exchange, error.httpStatus(), CONTENT_TYPE, body.toString(), headers);
    }

    private static Map<String, String> requestId() {
        return Map.of("x-amzn-RequestId", UUID.randomUUID().toString());
    }
}
