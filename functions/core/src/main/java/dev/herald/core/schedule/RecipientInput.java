package dev.herald.core.schedule;

import java.util.Map;

/** A recipient as a request gives it; {@code timeZone}, an IANA zone, is where a local-time message reaches them. */
public record RecipientInput(String email, String name, Map<String, Object> data, String timeZone) {

    public RecipientInput {
        data = data == null ? Map.of() : data;
    }

    /** A recipient without a zone of their own. */
    public RecipientInput(String email, String name, Map<String, Object> data) {
        this(email, name, data, null);
    }
}
