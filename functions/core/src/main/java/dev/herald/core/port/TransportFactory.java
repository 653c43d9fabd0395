package dev.herald.core.port;

import dev.herald.core.model.MessageSystem;
import dev.herald.core.model.TransportKind;

import java.util.Optional;
import java.util.Set;

/** Opens transports for the kinds this runtime supports. */
public interface TransportFactory {

    Set<TransportKind> supportedKinds();

    Transport open(MessageSystem system, Optional<Credentials> jobAccount);
}
