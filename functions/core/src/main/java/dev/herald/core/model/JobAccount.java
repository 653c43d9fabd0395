package dev.herald.core.model;

/**
 * The account a send job authenticates with. The password is only ever held encrypted; it is
 * decrypted inside the dispatch, with the message system bound in as encryption context.
 */
public record JobAccount(String name, byte[] encryptedPassword) {

    @Override
    public String toString() {
        return "JobAccount[name=" + name + ", password=<encrypted>]";
    }
}
