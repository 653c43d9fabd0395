package dev.herald.core.storage;

import dev.herald.core.error.ValidationException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The cursor of a listing by address: the last address of a page, opaque to the caller. */
public final class AddressCursor {

    private AddressCursor() {
    }

    public static String after(String address) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(address.getBytes(StandardCharsets.UTF_8));
    }

    /** The address a page ended with; a cursor no listing returned is a 400 on {@code cursor}. */
    public static String decode(String cursor) {
        try {
            String address = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (address.isEmpty() || !address.contains("@")) {
                throw new IllegalArgumentException("not an address");
            }
            return address;
        } catch (IllegalArgumentException e) {
            throw ValidationException.of("cursor", "is not a cursor this listing returned");
        }
    }
}
