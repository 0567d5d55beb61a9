package dev.deploybot.testing;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One fake AWS JSON 1.1 service, registered with {@link FakeAws} under its {@code X-Amz-Target} prefix.
 * Called concurrently: implementations must be thread-safe.
 */
@FunctionalInterface
public interface AwsJsonService {

    /**
     * @param operation the part of {@code X-Amz-Target} after the dot, e.g. {@code StartBuild}
     * @param request   the request body; an empty object when the body was empty
     * @return the response body
     * @throws AwsError to answer with an AWS error; for an unknown operation use {@link AwsError#unknownOperation}
     */
    JsonNode handle(String operation, JsonNode request) throws AwsError;
}
