package dev.deploybot.testing;

import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * A real SQS-compatible server (ElasticMQ) on 127.0.0.1 and an ephemeral port, speaking the AWS JSON protocol
 * the SDK's SQS client uses. Point the app at it with {@link #pointAppAtIt()}: the SQS-only endpoint setting,
 * since the other services go to {@link FakeAws}.
 */
public final class ElasticMq implements AutoCloseable {
    private final SQSRestServer server;
    private final URI endpoint;
    private final SqsClient client;

    private ElasticMq() {
        server = SQSRestServerBuilder.withPort(0).withInterface("127.0.0.1").start();
        int port = server.waitUntilStarted().localAddress().getPort();
        endpoint = URI.create("http://127.0.0.1:" + port);
        client = SqsClient.builder().endpointOverride(endpoint).region(Region.of(FakeAws.REGION))
                .credentialsProvider(FakeAws.credentials()).httpClient(UrlConnectionHttpClient.create()).build();
    }

    public static ElasticMq start() {
        return new ElasticMq();
    }

    public URI endpoint() {
        return endpoint;
    }

    /**
     * Sets {@code aws.endpointUrlSqs}, the system-property twin of {@code AWS_ENDPOINT_URL_SQS}, which the SDK
     * reads for the SQS client only (and which wins over {@code aws.endpointUrl}).
     */
    public void pointAppAtIt() {
        System.setProperty("aws.endpointUrlSqs", endpoint.toString());
    }

    /** A queue whose messages move to a new dead-letter queue after {@code maxReceiveCount} receives. */
    public Queues createQueues(String name, int maxReceiveCount) {
        String dlqUrl = client.createQueue(r -> r.queueName(name + "-dlq")).queueUrl();
        String dlqArn = client.getQueueAttributes(r -> r.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        String redrive = "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"" + maxReceiveCount + "\"}";
        String url = client.createQueue(r -> r.queueName(name).attributes(Map.of(QueueAttributeName.REDRIVE_POLICY, redrive,
                QueueAttributeName.VISIBILITY_TIMEOUT, "30"))).queueUrl();
        return new Queues(url, dlqUrl);
    }

    public void send(String queueUrl, String body) {
        client.sendMessage(r -> r.queueUrl(queueUrl).messageBody(body));
    }

    /** Sends many bodies, ten to a call as EventBridge's SQS target may. */
    public void sendAll(String queueUrl, List<String> bodies) {
        for (int from = 0; from < bodies.size(); from += 10) {
            List<String> batch = bodies.subList(from, Math.min(bodies.size(), from + 10));
            client.sendMessageBatch(r -> r.queueUrl(queueUrl).entries(java.util.stream.IntStream.range(0, batch.size())
                    .mapToObj(i -> SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(batch.get(i)).build())
                    .toList()));
        }
    }

    /** Messages currently visible plus those in flight. */
    public int approximateCount(String queueUrl) {
        Map<QueueAttributeName, String> attributes = client.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
        return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    /** Messages anyone may receive now (not those hidden while received). */
    public int visibleCount(String queueUrl) {
        return Integer.parseInt(client.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }

    /** How often each visible message has been received so far, looked at without hiding it. */
    public List<Integer> receiveCountsOfVisible(String queueUrl) {
        return client.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).visibilityTimeout(0)
                        .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages().stream()
                .map(message -> Integer.parseInt(message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)) - 1)
                .toList();
    }

    /** Takes whatever is visible (hiding it for a minute). */
    public List<Message> receive(String queueUrl) {
        return client.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).visibilityTimeout(60)).messages();
    }

    @Override
    public void close() {
        client.close();
        server.stopAndWait();
    }

    public record Queues(String url, String deadLetterUrl) {
    }
}
