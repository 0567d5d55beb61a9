package dev.deploybot.testing;

import java.util.Map;

/**
 * One Web API call as {@link FakeSlack} received it.
 *
 * @param method Web API method name, e.g. {@code chat.postMessage}
 * @param params form fields, or top-level JSON fields with object/array values kept as JSON text
 *               (that is how Slack's Java SDK sends {@code blocks} anyway)
 * @param token  bearer token or {@code token} form field; null when none was sent
 * @param failed true when the fake answered anything but HTTP 200 with {@code "ok":true}
 */
public record SlackCall(String method, Map<String, String> params, String token, boolean failed) {

    public SlackCall {
        params = Map.copyOf(params);
    }

    /** The parameter's value, or null; saves tests a {@code params().get(..)}. */
    public String param(String name) {
        return params.get(name);
    }
}
