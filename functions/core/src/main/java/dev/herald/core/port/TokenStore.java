package dev.herald.core.port;

import dev.herald.core.access.AccessToken;

import java.util.Optional;

/** Bearer tokens of a runtime that authenticates callers itself (the local runtime). */
public interface TokenStore {

    void insertToken(AccessToken token);

    Optional<AccessToken> findTokenByHash(String tokenHash);

    boolean hasTokens();
}
