package dev.herald.core.access;

import dev.herald.core.error.FieldError;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Bearer tokens for a runtime that authenticates callers itself. Tokens are 256 random bits,
 * shown once and stored as their SHA-256 (a slow hash adds nothing for secrets of that entropy).
 */
public final class TokenService {

    private static final Logger LOG = LoggerFactory.getLogger(TokenService.class);
    private static final String PREFIX = "hrld_";
    private static final int MAX_NAME = 128;

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
        if (name == null || name.isBlank() || name.length() > MAX_NAME) {
            errors.add(new FieldError("name", "is required, at most " + MAX_NAME + " characters"));
        } else {
            TextRules.problemWithControls(name, false).ifPresent(p -> errors.add(new FieldError("name", p)));
        }
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
     * On first start, stores the bootstrap admin token: the configured one, or a generated one,
     * which is returned so that it can be shown once. Later starts change nothing.
     */
    public Optional<String> bootstrap(String configuredAdminToken) {
        if (configuredAdminToken != null && !configuredAdminToken.isBlank()) {
            if (tokens.findTokenByHash(hash(configuredAdminToken)).isEmpty()) {
                issue("bootstrap-admin", Role.ADMIN, configuredAdminToken);
            }
            return Optional.empty();
        }
        if (tokens.hasTokens()) {
            return Optional.empty();
        }
        String plaintext = PREFIX + randomSecret();
        issue("bootstrap-admin", Role.ADMIN, plaintext);
        return Optional.of(plaintext);
    }

    public Optional<Caller> authenticate(String bearerToken) {
        if (bearerToken == null || bearerToken.isBlank()) {
            return Optional.empty();
        }
        return tokens.findTokenByHash(hash(bearerToken)).map(t -> new Caller(t.id(), t.role()));
    }

    private IssuedToken issue(String name, Role role, String plaintext) {
        AccessToken token = new AccessToken(ids.newId(), name, role, hash(plaintext), clock.instant());
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
