package dev.herald.core.unsubscribe;

import dev.herald.core.error.CipherException;
import dev.herald.core.port.Cipher;
import dev.herald.core.rules.AddressRules;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The tokens of unsubscribe links: the message system, the address's key and the message, sealed
 * with authenticated encryption under a key Herald keeps. Opaque (no address in a URL or an access
 * log), unforgeable, bound to its one address (a changed byte fails to open) and without expiry,
 * as mail stays in mailboxes for years.
 */
public final class UnsubscribeTokens {

    private static final Map<String, String> CONTEXT = Map.of("herald:purpose", "unsubscribe-link");
    private static final byte VERSION = 1;
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{16,1024}");
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private final Cipher cipher;

    public UnsubscribeTokens(Cipher cipher) {
        this.cipher = cipher;
    }

    /** A token for one recipient of one message, URL-safe as it is. */
    public String seal(UnsubscribeTarget target) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeUTF(target.messageSystemId());
            out.writeUTF(AddressRules.key(target.address()));
            out.writeUTF(target.messageId());
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory", e);
        }
        return ENCODER.encodeToString(cipher.encrypt(bytes.toByteArray(), CONTEXT));
    }

    /** What the token stops, or nothing when it is not one Herald issued (forged, truncated, altered). */
    public Optional<UnsubscribeTarget> open(String token) {
        if (token == null || !TOKEN.matcher(token).matches()) {
            return Optional.empty();
        }
        try {
            byte[] plain = cipher.decrypt(Base64.getUrlDecoder().decode(token), CONTEXT);
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(plain));
            if (in.readByte() != VERSION) {
                return Optional.empty();
            }
            UnsubscribeTarget target = new UnsubscribeTarget(in.readUTF(), in.readUTF(), in.readUTF());
            return in.available() == 0 ? Optional.of(target) : Optional.empty();
        } catch (CipherException | IllegalArgumentException | IOException e) {
            return Optional.empty();
        }
    }
}
