package dev.herald.core.access;

import dev.herald.core.error.ConflictException;
import dev.herald.core.error.FieldError;
import dev.herald.core.error.NotFoundException;
import dev.herald.core.error.ValidationException;
import dev.herald.core.port.Ids;
import dev.herald.core.port.TokenStore;
import dev.herald.core.rules.TextRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Bearer tokens for a runtime that authenticates callers itself. Issued tokens are 256 random bits,
 * shown once and stored as their SHA-256 (a slow hash adds nothing for secrets of that entropy).
 * Admins list them (never the secret) and revoke them, at once. The one token a person chooses, the
 * bootstrap admin token, must be strong ({@link #BOOTSTRAP_RULE}); setting another one replaces it.
 */
public final class TokenService {

    private static final Logger LOG = LoggerFactory.getLogger(TokenService.class);
    private static final String PREFIX = "hrld_";
    private static final int MAX_NAME = 128;
    static final String BOOTSTRAP_NAME = "bootstrap-admin";
    private static final int MIN_CHOSEN_LENGTH = 24;
    private static final int MIN_CHOSEN_DISTINCT = 10;
    public static final String BOOTSTRAP_RULE = "at least " + MIN_CHOSEN_LENGTH + " characters, at least " + MIN_CHOSEN_DISTINCT
            + " of them different, printable ASCII without spaces (e.g. the output of: openssl rand -base64 32)";
    /** A token's last use is recorded once a minute at most, not a write per request: it is up to a minute old. */
    private static final Duration LAST_USE_RESOLUTION = Duration.ofMinutes(1);

    private final TokenStore tokens;
    private final Clock clock;
    private final Ids ids;
    private final SecureRandom random = new SecureRandom();

    public TokenService(TokenStore tokens, Clock clock, Ids ids) {
        this.tokens = tokens;
        this.clock = clock;
        this.ids = ids;
    }

    /** A new token with its plaintext, which exists only in this answer. */
    public record IssuedToken(AccessToken token, String plaintext) {
        @Override
        public String toString() {
            return "IssuedToken[" + token.id() + ", plaintext=<redacted>]";
        }
    }

    public IssuedToken create(Caller caller, String name, String role) {
        caller.requireAdmin();
        List<FieldError> errors = new ArrayList<>();
        TextRules.problemWithName(name, MAX_NAME).ifPresent(p -> errors.add(new FieldError("name", p)));
        Optional<Role> parsedRole = role == null ? Optional.empty() : Role.fromWireName(role);
        if (parsedRole.isEmpty()) {
            errors.add(new FieldError("role", "must be 'admin' or 'sender'"));
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        return issue(name, parsedRole.get(), PREFIX + randomSecret());
    }

    /**
     * At each start, the bootstrap admin token. A configured one must be strong; when it is not the
     * bootstrap token already, it replaces the previous one (revoked), so that changing the setting
     * rotates it. Without one, a token is generated on the very first start only, and returned so
     * that it can be shown once. Tokens issued through the API are never touched.
     *
     * @throws WeakTokenException when the configured token is too weak to be one
     */
    public Optional<String> bootstrap(String configuredAdminToken) {
        if (configuredAdminToken != null && !configuredAdminToken.isEmpty()) {
            requireStrong(configuredAdminToken);
            if (tokens.findTokenByHash(hash(configuredAdminToken)).isEmpty()) {
                tokens.listTokens().stream().filter(t -> t.name().equals(BOOTSTRAP_NAME))
                        .forEach(previous -> revoked(previous.id()));
                issue(BOOTSTRAP_NAME, Role.ADMIN, configuredAdminToken);
            }
            return Optional.empty();
        }
        if (!tokens.listTokens().isEmpty()) {
            return Optional.empty();
        }
        String plaintext = PREFIX + randomSecret();
        issue(BOOTSTRAP_NAME, Role.ADMIN, plaintext);
        return Optional.of(plaintext);
    }

    /** A token a person chose, refused when it is too weak for a secret that opens the whole API. */
    public static void requireStrong(String token) {
        boolean printable = token.chars().allMatch(c -> c > 0x20 && c < 0x7F);
        if (token.length() < MIN_CHOSEN_LENGTH || !printable || token.chars().distinct().count() < MIN_CHOSEN_DISTINCT) {
            throw new WeakTokenException("The admin token is too weak: use " + BOOTSTRAP_RULE);
        }
    }

    public Optional<Caller> authenticate(String bearerToken) {
        if (bearerToken == null || bearerToken.isBlank()) {
            return Optional.empty();
        }
        return tokens.findTokenByHash(hash(bearerToken)).map(token -> {
            Instant now = clock.instant();
            if (token.lastUsedAt() == null || token.lastUsedAt().isBefore(now.minus(LAST_USE_RESOLUTION))) {
                tokens.updateToken(token.usedAt(now));
            }
            return new Caller(token.id(), token.role());
        });
    }

    /** Every token, oldest first, without its secret (which is not stored). */
    public List<AccessToken> list(Caller caller) {
        caller.requireAdmin();
        return tokens.listTokens();
    }

    /** Revokes a token: it authenticates nothing from now on. The last admin token cannot be revoked. */
    public void revoke(Caller caller, String id) {
        caller.requireAdmin();
        List<AccessToken> all = tokens.listTokens();
        AccessToken token = all.stream().filter(t -> t.id().equals(id)).findFirst()
                .orElseThrow(() -> new NotFoundException("No token '" + id + "'."));
        if (token.role() == Role.ADMIN && all.stream().filter(t -> t.role() == Role.ADMIN).count() == 1) {
            throw new ConflictException("Token '" + id + "' is the last admin token: issue another admin token first.");
        }
        revoked(id);
    }

    private void revoked(String id) {
        if (tokens.deleteToken(id)) {
            LOG.info("Revoked token {}", id);
        }
    }

    /** A configured admin token that is too weak to be one. */
    public static final class WeakTokenException extends RuntimeException {
        WeakTokenException(String message) {
            super(message);
        }
    }

    private IssuedToken issue(String name, Role role, String plaintext) {
        AccessToken token = new AccessToken(ids.newId(), name, role, hash(plaintext), clock.instant(), null);
        tokens.insertToken(token);
        LOG.info("Issued {} token {} ({})", role.wireName(), token.id(), name);
        return new IssuedToken(token, plaintext);
    }

    private String randomSecret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
