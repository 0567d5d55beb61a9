package dev.deploybot.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.deploybot.activity.BuildChange;
import dev.deploybot.activity.Change;
import dev.deploybot.activity.DeploymentChange;
import dev.deploybot.activity.ImagePushed;
import dev.deploybot.activity.Subject;

/**
 * A tracked change as JSON in one column: the change types differ in shape, and a row is read back only by
 * this adapter. Which record it is follows from the row's kind.
 */
final class ChangeJson {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private ChangeJson() {
    }

    static String write(Change change) {
        try {
            return JSON.writeValueAsString(change);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + change.getClass().getSimpleName(), e);
        }
    }

    static Change read(Subject.Kind kind, String json) {
        Class<? extends Change> type = switch (kind) {
            case BUILD -> BuildChange.class;
            case CODEDEPLOY, ECS -> DeploymentChange.class;
            case IMAGE -> ImagePushed.class;
        };
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot read a stored " + kind + " change", e);
        }
    }
}
