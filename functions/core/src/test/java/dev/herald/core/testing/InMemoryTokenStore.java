package dev.herald.core.testing;

import dev.herald.core.access.AccessToken;
import dev.herald.core.port.TokenStore;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Tokens in a map, for unit tests of the token service; counts its writes. */
public final class InMemoryTokenStore implements TokenStore {

    private final Map<String, AccessToken> tokens = new LinkedHashMap<>();
    private int updates;

    @Override
    public synchronized void insertToken(AccessToken token) {
        tokens.put(token.id(), token);
    }

    @Override
    public synchronized Optional<AccessToken> findTokenByHash(String tokenHash) {
        return tokens.values().stream().filter(t -> t.tokenHash().equals(tokenHash)).findFirst();
    }

    @Override
    public synchronized List<AccessToken> listTokens() {
        return tokens.values().stream().sorted(Comparator.comparing(AccessToken::createdAt)).toList();
    }

    @Override
    public synchronized void updateToken(AccessToken token) {
        if (tokens.replace(token.id(), token) != null) {
            updates++;
        }
    }

    @Override
    public synchronized boolean deleteToken(String id) {
        return tokens.remove(id) != null;
    }

    public synchronized int updates() {
        return updates;
    }
}
