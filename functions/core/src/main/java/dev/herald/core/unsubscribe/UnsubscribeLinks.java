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
import java.net.URI;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Issues and reads the per-recipient unsubscribe links. A token is the message system, the
 * address's key and the message, sealed with authenticated encryption under a key Herald keeps:
 * opaque (no address in a URL or an access log), unforgeable, bound to its one address (a changed
 * byte fails to open) and without expiry, as mail stays in mailboxes for years.
 */
public final class UnsubscribeLinks {

    /** Where the links point, below the base URL. */
    public static final String PATH = "/v1/unsubscribe/";
    private static final Map<String, String> CONTEXT = Map.of("herald:purpose", "unsubscribe-link");
    private static final byte VERSION = 1;
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{16,1024}");
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private final Cipher cipher;
    private final String prefix;

    /** {@code baseUrl}: an absolute http(s) URL without query or fragment, such as the API's public URL. */
    public UnsubscribeLinks(Cipher cipher, String baseUrl) {
        this.cipher = cipher;
        this.prefix = checkedBase(baseUrl) + PATH;
    }

    /** The absolute unsubscribe URL for one recipient of one message. */
    public String urlFor(String messageSystemId, String address, String messageId) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeUTF(messageSystemId);
            out.writeUTF(AddressRules.key(address));
            out.writeUTF(messageId);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory", e);
        }
        return prefix + ENCODER.encodeToString(cipher.encrypt(bytes.toByteArray(), CONTEXT));
    }

    /** What the token stops, or nothing when it is not one Herald issued (forged, truncated, altered). */
    public Optional<UnsubscribeTarget> read(String token) {
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

    private static String checkedBase(String baseUrl) {
        URI uri;
        try {
            uri = URI.create(baseUrl);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("The unsubscribe base URL must be an absolute http(s) URL", e);
        }
        if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("The unsubscribe base URL must be an absolute http(s) URL without "
                    + "query or fragment, such as https://mail.example.com");
        }
        return baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }
}
