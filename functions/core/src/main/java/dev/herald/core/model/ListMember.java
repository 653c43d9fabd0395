package dev.herald.core.model;

import dev.herald.core.rules.AddressRules;

import java.util.Map;

/**
 * One member of an audience list: the address as Herald keeps it, the name and template data a
 * recipient gets, and the member's own IANA time zone when it has one.
 */
public record ListMember(String email, String name, Map<String, Object> data, String timeZone) {

    public ListMember {
        data = data == null ? Map.of() : data;
    }

    /** Who the member is in the list: two members with the same key are one. */
    public String key() {
        return AddressRules.key(email);
    }

    public Recipient toRecipient() {
        return new Recipient(email, name, data, null);
    }
}
