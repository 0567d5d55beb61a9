package dev.deploybot.slack;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.netty.handler.codec.compression.DecompressionException;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A body whose declared {@code Content-Encoding} it does not have fails in the server's decompression, before any
 * controller (or signature check) sees it: the sender's mistake, answered 400 in a short sentence, not a 500 with a
 * stack trace in the log.
 */
@Produces
@Singleton
class UndecodableBodyHandler implements ExceptionHandler<DecompressionException, HttpResponse<String>> {
    private static final Logger LOG = LoggerFactory.getLogger(UndecodableBodyHandler.class);

    @Override
    public HttpResponse<String> handle(HttpRequest request, DecompressionException exception) {
        LOG.warn("refused a {} body to {} that is not in its declared encoding",
                dev.deploybot.core.AuditEntry.cut(request.getHeaders().get("Content-Encoding"), 40),
                request.getPath());
        return HttpResponse.<String>badRequest().body("{\"error\":\"the body is not in its declared Content-Encoding\"}");
    }
}
