package dev.herald.core.audience;

import java.util.Map;

/** A member as a caller gives it: checked and normalised by {@link ListService} before it is stored. */
public record MemberInput(String email, String name, Map<String, Object> data, String timeZone) {
}
