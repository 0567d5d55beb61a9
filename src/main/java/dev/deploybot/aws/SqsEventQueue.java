package dev.deploybot.aws;

import dev.deploybot.activity.EventQueue;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import jakarta.inject.Provider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/** The events queue on SQS. Failures surface as {@link dev.deploybot.core.ExternalFailure}. */
@Singleton
@Requires(property = "deploybot.events.sqs.queue-url", pattern = ".+")
public class SqsEventQueue implements EventQueue {
    private static final Logger LOG = LoggerFactory.getLogger(SqsEventQueue.class);
    /** SQS takes at most 10 entries per batch call. */
    private static final int MAX_BATCH = 10;
    private final Provider<SqsClient> sqs;
    private final String queueUrl;

    public SqsEventQueue(Provider<SqsClient> sqs, @Value("${deploybot.events.sqs.queue-url}") String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public List<QueuedMessage> receive(int max, Duration wait, Duration visibility) {
        try {
            return sqs.get().receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(max)
                            .waitTimeSeconds((int) wait.toSeconds()).visibilityTimeout(seconds(visibility))
                            .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                    .messages().stream().map(SqsEventQueue::queued).toList();
        } catch (SdkException e) {
            throw AwsFailures.translate("SQS", e);
        }
    }

    @Override
    public void delete(List<QueuedMessage> messages) {
        for (List<QueuedMessage> batch : batches(messages)) {
            try {
                failures("delete", sqs.get().deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(IntStream.range(0, batch.size())
                        .mapToObj(i -> DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
                                .receiptHandle(batch.get(i).receipt()).build()).toList())).failed());
            } catch (SdkException e) {
                throw AwsFailures.translate("SQS", e);
            }
        }
    }

    @Override
    public void setVisibility(List<QueuedMessage> messages, Duration visibility) {
        for (List<QueuedMessage> batch : batches(messages)) {
            try {
                failures("change the visibility of", sqs.get().changeMessageVisibilityBatch(r -> r.queueUrl(queueUrl)
                        .entries(IntStream.range(0, batch.size()).mapToObj(i -> ChangeMessageVisibilityBatchRequestEntry.builder()
                                .id(Integer.toString(i)).receiptHandle(batch.get(i).receipt())
                                .visibilityTimeout(seconds(visibility)).build()).toList())).failed());
            } catch (SdkException e) {
                throw AwsFailures.translate("SQS", e);
            }
        }
    }

    /** A batch call succeeds as a whole even when some entries fail (an expired receipt, say): those come back. */
    private static void failures(String what, List<BatchResultErrorEntry> failed) {
        for (BatchResultErrorEntry entry : failed) {
            LOG.debug("could not {} a message: {} {}", what, entry.code(), entry.message());
        }
    }

    private static List<List<QueuedMessage>> batches(List<QueuedMessage> messages) {
        List<List<QueuedMessage>> batches = new ArrayList<>();
        for (int from = 0; from < messages.size(); from += MAX_BATCH) {
            batches.add(messages.subList(from, Math.min(messages.size(), from + MAX_BATCH)));
        }
        return batches;
    }

    private static QueuedMessage queued(Message message) {
        String count = message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
        return new QueuedMessage(message.messageId(), message.receiptHandle(), message.body(),
                count == null ? 1 : Integer.parseInt(count));
    }

    /** SQS counts visibility in whole seconds, at most 12 hours. */
    private static int seconds(Duration duration) {
        return (int) Math.min(Math.max(duration.toSeconds(), 0), 43_200);
    }
}
