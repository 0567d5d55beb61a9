package dev.deploybot.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deploybot.activity.Change;
import dev.deploybot.activity.ImagePushed;
import jakarta.inject.Singleton;

import java.util.Optional;

/** {@code ECR Image Action}: only successful pushes of a tag are news; deletes and failed pushes are not. */
@Singleton
class EcrImageTranslator implements EventTranslator {
    static final String DETAIL_TYPE = "ECR Image Action";

    @Override
    public String detailType() {
        return DETAIL_TYPE;
    }

    @Override
    public Optional<Change> translate(EventEnvelope event) {
        JsonNode detail = event.detail();
        String tag = EventDetail.optional(detail, "image-tag");
        if (!"PUSH".equals(EventDetail.optional(detail, "action-type")) || !"SUCCESS".equals(EventDetail.optional(detail, "result"))
                || tag == null) {
            return Optional.empty();
        }
        return Optional.of(new ImagePushed(EventDetail.required(detail, "repository-name"), tag,
                EventDetail.required(detail, "image-digest"), event.time()));
    }
}
