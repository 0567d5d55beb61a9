package dev.deploybot.aws;

import dev.deploybot.activity.EventQueue;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

import java.time.Duration;
import java.util.List;

/** The events queue on SQS. Failures surface as {@link dev.deploybot.core.ExternalFailure}. */
@Singleton
@Requires(property = "deploybot.events.sqs.queue-url", pattern = ".+")
public class SqsEventQueue implements EventQueue {
    private final SqsClient sqs;
    private final String queueUrl;

    public SqsEventQueue(SqsClient sqs, @Value("${deploybot.events.sqs.queue-url}") String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public List<QueuedMessage> receive(int max, Duration wait, Duration visibility) {
        try {
            return sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(max)
                            .waitTimeSeconds((int) wait.toSeconds()).visibilityTimeout(seconds(visibility))
                            .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                    .messages().stream().map(SqsEventQueue::queued).toList();
        } catch (SdkException e) {
            throw AwsFailures.translate("SQS", e);
        }
    }

    @Override
    public void delete(QueuedMessage message) {
        try {
            sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(message.receipt()));
        } catch (SdkException e) {
            throw AwsFailures.translate("SQS", e);
        }
    }

    @Override
    public void setVisibility(QueuedMessage message, Duration visibility) {
        try {
            sqs.changeMessageVisibility(r -> r.queueUrl(queueUrl).receiptHandle(message.receipt())
                    .visibilityTimeout(seconds(visibility)));
        } catch (SdkException e) {
            throw AwsFailures.translate("SQS", e);
        }
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
