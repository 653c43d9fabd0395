package dev.herald.web;

import io.micronaut.http.MediaType;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.ContentDisposition;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The fields of a one-click unsubscribe POST, which RFC 8058 lets a mail client send form-encoded
 * or as multipart/form-data (parsed by Jakarta Mail). A body that is neither, or does not parse,
 * has no fields.
 */
final class OneClickForm {

    record Field(String name, String value) {
        static final Field ONE_CLICK = new Field("List-Unsubscribe", "One-Click");
    }

    private static final int MAX_BODY = 4096;

    private OneClickForm() {
    }

    static List<Field> parse(MediaType contentType, byte[] body) {
        if (body == null || body.length == 0 || body.length > MAX_BODY) {
            return List.of();
        }
        if (contentType == null || contentType.matches(MediaType.APPLICATION_FORM_URLENCODED_TYPE)) {
            return formEncoded(new String(body, StandardCharsets.US_ASCII).strip());
        }
        if (contentType.matches(MediaType.MULTIPART_FORM_DATA_TYPE)) {
            return multipart(contentType.toString(), body);
        }
        return List.of();
    }

    /** The fields of a form a framework decoded already: each name with its one value or its list of values. */
    static List<Field> fields(Map<?, ?> decoded) {
        List<Field> fields = new ArrayList<>();
        decoded.forEach((name, values) -> {
            for (Object value : values instanceof Collection<?> many ? many : List.of(values)) {
                fields.add(new Field(String.valueOf(name), String.valueOf(value)));
            }
        });
        return fields;
    }

    private static List<Field> formEncoded(String body) {
        List<Field> fields = new ArrayList<>();
        try {
            for (String pair : body.split("&", -1)) {
                int equals = pair.indexOf('=');
                if (equals < 0) {
                    return List.of();
                }
                fields.add(new Field(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8)));
            }
        } catch (IllegalArgumentException badEscape) {
            return List.of();
        }
        return fields;
    }

    private static List<Field> multipart(String contentType, byte[] body) {
        List<Field> fields = new ArrayList<>();
        try {
            MimeMultipart parts = new MimeMultipart(new ByteArrayDataSource(body, contentType));
            for (int i = 0; i < parts.getCount(); i++) {
                BodyPart part = parts.getBodyPart(i);
                String[] disposition = part.getHeader("Content-Disposition");
                if (disposition == null || disposition.length != 1) {
                    return List.of();
                }
                String name = new ContentDisposition(disposition[0]).getParameter("name");
                Object content = part.getContent();
                if (name == null || !(content instanceof String value)) {
                    return List.of();
                }
                fields.add(new Field(name, value.strip()));
            }
        } catch (MessagingException | IOException | RuntimeException unparsable) {
            return List.of();
        }
        return fields;
    }
}
