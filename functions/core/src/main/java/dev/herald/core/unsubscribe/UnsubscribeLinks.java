package dev.herald.core.unsubscribe;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/** The absolute unsubscribe URLs mail carries: the public base URL, {@value #PATH}, a recipient's token. */
public final class UnsubscribeLinks {

    /** Where the links point, below the base URL. */
    public static final String PATH = "/v1/unsubscribe/";
    private final UnsubscribeTokens tokens;
    private final String prefix;

    /** {@code baseUrl}: an absolute http(s) URL without query or fragment, such as the API's public URL. */
    public UnsubscribeLinks(UnsubscribeTokens tokens, String baseUrl) {
        this.tokens = tokens;
        this.prefix = checkedBase(baseUrl) + PATH;
    }

    /** The absolute unsubscribe URL for one recipient of one message. */
    public String urlFor(String messageSystemId, String address, String messageId) {
        return prefix + tokens.seal(new UnsubscribeTarget(messageSystemId, address, messageId));
    }

    /** What is wrong with a base URL for the links, if anything. */
    public static Optional<String> problemWithBaseUrl(String baseUrl) {
        URI uri;
        try {
            uri = new URI(baseUrl);
        } catch (URISyntaxException | NullPointerException e) {
            uri = null;
        }
        if (uri == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return Optional.of("must be an absolute http(s) URL without query or fragment, such as https://mail.example.com");
        }
        return Optional.empty();
    }

    private static String checkedBase(String baseUrl) {
        problemWithBaseUrl(baseUrl).ifPresent(problem -> {
            throw new IllegalArgumentException("The unsubscribe base URL " + problem);
        });
        return baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }
}
