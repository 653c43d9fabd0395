package dev.herald.core.schedule;

import java.util.Map;

public record RecipientInput(String email, String name, Map<String, Object> data) {

    public RecipientInput {
        data = data == null ? Map.of() : data;
    }
}
