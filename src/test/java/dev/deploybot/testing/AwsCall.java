package dev.deploybot.testing;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One request {@link FakeAws} received.
 *
 * @param target    the {@code X-Amz-Target} header, e.g. {@code CodeBuild_20161006.StartBuild}; null if absent
 * @param request   the request body
 * @param errorType the error type answered, or null when the call succeeded; lets tests tell retries apart
 */
public record AwsCall(String target, JsonNode request, String errorType) {

    public boolean failed() {
        return errorType != null;
    }
}
