package dev.herald.core.unsubscribe;

import dev.herald.core.model.MessageSystem;
import dev.herald.core.port.MailHeader;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The list headers of a message system's mail: RFC 2369's {@code List-Unsubscribe} with the
 * recipient's link, RFC 8058's {@code List-Unsubscribe-Post} that makes it one-click, and RFC
 * 2919's {@code List-Id}, which names the system under its sender's domain.
 */
public final class ListHeaders {

    public static final String ONE_CLICK = "List-Unsubscribe=One-Click";
    private static final Pattern PLAIN_PHRASE = Pattern.compile("[\\x20-\\x7e]+");

    private static final MailHeader ONE_CLICK_POST = new MailHeader("List-Unsubscribe-Post", ONE_CLICK);
    /** Null when the system's unsubscribe is off: its mail carries no list headers. */
    private final MailHeader listId;

    /** The list headers of {@code system}'s mail, its List-Id made once for all its recipients. */
    public ListHeaders(MessageSystem system) {
        this.listId = system.unsubscribe().enabled() ? new MailHeader("List-Id", listId(system)) : null;
    }

    /** The headers for one recipient: none when the system's unsubscribe is off. */
    public List<MailHeader> forRecipient(String unsubscribeUrl) {
        if (listId == null) {
            return List.of();
        }
        return List.of(new MailHeader("List-Unsubscribe", "<" + unsubscribeUrl + ">"), ONE_CLICK_POST, listId);
    }

    /** {@code "Name" <id.sender-domain>}; the name only where it is plain ASCII, as a header needs no encoding then. */
    static String listId(MessageSystem system) {
        String email = system.from().email();
        String id = "<" + system.id() + "." + email.substring(email.lastIndexOf('@') + 1) + ">";
        String name = system.name();
        return name != null && PLAIN_PHRASE.matcher(name).matches()
                ? "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\" " + id
                : id;
    }
}
