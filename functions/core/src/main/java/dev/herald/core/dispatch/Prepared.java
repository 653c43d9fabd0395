package dev.herald.core.dispatch;

import dev.herald.core.error.CipherException;
import dev.herald.core.model.Message;
import dev.herald.core.model.MessageSystem;
import dev.herald.core.port.Credentials;
import dev.herald.core.render.MessageTemplates;
import dev.herald.core.render.TemplateRenderer;

import java.util.Optional;

/**
 * What sending a message needs, made ready before any recipient is touched: its system, the job account's
 * credentials and the compiled templates.
 */
record Prepared(MessageSystem system, Optional<Credentials> credentials, MessageTemplates templates) {

    /** Why the message cannot be sent at all: said as the error every recipient is recorded with. */
    static final class Unsendable extends Exception {
        Unsendable(String reason) {
            super(reason, null, false, false);
        }
    }

    static Prepared of(RunServices services, Message message, Optional<MessageSystem> found) throws Unsendable {
        if (found.isEmpty() || !found.get().enabled()) {
            throw new Unsendable("MessageSystemUnavailable: message system '" + message.messageSystemId()
                    + "' is missing or disabled");
        }
        MessageSystem system = found.get();
        if (!services.transports().supportedKinds().contains(system.transport())) {
            throw new Unsendable("TransportUnavailable: this runtime cannot send through '" + system.transport().wireName() + "'");
        }
        Optional<Credentials> credentials;
        try {
            credentials = services.jobAccounts().decrypt(system);
        } catch (CipherException e) {
            throw new Unsendable("JobAccountUndecryptable: " + e.getMessage());
        }
        if (system.transport().requiresJobAccount() && credentials.isEmpty()) {
            throw new Unsendable("JobAccountMissing: the message system has no job account");
        }
        if (system.unsubscribe().enabled()) {
            try {
                // Seals a first link now, so that an unreadable key stops the run before any recipient is touched.
                services.unsubscribeLinks().urlFor(system.id(), system.from().email(), message.id());
            } catch (CipherException e) {
                throw new Unsendable("UnsubscribeKeyUnavailable: " + e.getMessage());
            }
        }
        try {
            return new Prepared(system, credentials, services.renderer().compile(message.subject(), message.text(), message.html()));
        } catch (TemplateRenderer.InvalidTemplatesException e) {
            throw new Unsendable("TemplateInvalid: " + e.getMessage());
        }
    }
}
