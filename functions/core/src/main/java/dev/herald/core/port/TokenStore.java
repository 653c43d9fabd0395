package dev.herald.core.port;

import dev.herald.core.access.AccessToken;

import java.util.List;
import java.util.Optional;

/** Bearer tokens of a runtime that authenticates callers itself (the local runtime). */
public interface TokenStore {

    void insertToken(AccessToken token);

    Optional<AccessToken> findTokenByHash(String tokenHash);

    /** Every token, oldest first. */
    List<AccessToken> listTokens();

    /** Replaces a token's record (its last use); a revoked token stays revoked. */
    void updateToken(AccessToken token);

    /** Revokes a token at once; false when there is none with this id. */
    boolean deleteToken(String id);
}
