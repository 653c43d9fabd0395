package dev.herald.core.model;

/**
 * One-click unsubscribe for a message system's mail. When {@code enabled} (the default), every mail
 * carries {@code List-Unsubscribe} with a link for its recipient, {@code List-Unsubscribe-Post} and
 * {@code List-Id}, and templates see {@code unsubscribeUrl}: off only for transactional mail
 * (receipts, password resets), which a recipient must not be able to stop.
 * {@code requireLinkInHtml} refuses an HTML body that does not show the link.
 */
public record UnsubscribeSettings(boolean enabled, boolean requireLinkInHtml) {

    public static final UnsubscribeSettings DEFAULT = new UnsubscribeSettings(true, false);
}
