package dev.herald.console;

import dev.herald.core.access.Caller;
import dev.herald.core.access.TokenService;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import jakarta.inject.Singleton;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's sign-ins: a token pasted once becomes a session, named by a random id in an
 * HttpOnly, SameSite=Strict cookie and held in memory only (a restart signs everyone out). The token
 * is checked again on every request, so a revoked token ends its sessions at once.
 */
@Singleton
public class ConsoleSessions {

    /** What a signed-in browser is: its caller, the token that names it, its forms' CSRF secret, its zone. */
    public record Session(String id, String token, String csrf, ZoneId zone, Instant lastSeen) {
    }

    /** A signed-in request: the session and who it acts as. */
    public record SignedIn(Session session, Caller caller) {
    }

    static final String COOKIE = "herald_console";
    private static final Duration IDLE = Duration.ofHours(8);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final TokenService tokens;
    private final Clock clock;

    public ConsoleSessions(TokenService tokens, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
    }

    /**
     * A new session for a valid token, or empty. The sessions idle too long go first: a browser that never comes
     * back (or a script signing in again and again) leaves nothing held.
     */
    Optional<Session> signIn(String token, ZoneId zone) {
        Instant now = clock.instant();
        sessions.values().removeIf(session -> idle(session, now));
        if (token == null || tokens.authenticate(token.trim()).isEmpty()) {
            return Optional.empty();
        }
        Session session = new Session(secret(), token.trim(), secret(), zone, now);
        sessions.put(session.id(), session);
        return Optional.of(session);
    }

    /** The request's live session and its caller, touching the session; empty when signed out, idle too long or revoked. */
    Optional<SignedIn> find(HttpRequest<?> request) {
        return request.getCookies().findCookie(COOKIE).map(Cookie::getValue).map(sessions::get).flatMap(session -> {
            Instant now = clock.instant();
            Optional<Caller> caller = idle(session, now) ? Optional.empty() : tokens.authenticate(session.token());
            if (caller.isEmpty()) {
                sessions.remove(session.id());
                return Optional.empty();
            }
            Session touched = new Session(session.id(), session.token(), session.csrf(), session.zone(), now);
            sessions.put(session.id(), touched);
            return Optional.of(new SignedIn(touched, caller.get()));
        });
    }

    void signOut(Session session) {
        sessions.remove(session.id());
    }

    /** How many sessions are held: for tests and diagnostics. */
    int heldCount() {
        return sessions.size();
    }

    private static boolean idle(Session session, Instant now) {
        return now.isAfter(session.lastSeen().plus(IDLE));
    }

    /** Whether a form's CSRF field is the session's secret, compared in constant time. */
    static boolean csrfMatches(Session session, String submitted) {
        return submitted != null && MessageDigest.isEqual(session.csrf().getBytes(), submitted.getBytes());
    }

    static Cookie cookie(String value, Duration maxAge) {
        return Cookie.of(COOKIE, value).httpOnly(true).sameSite(SameSite.Strict).path("/").maxAge(maxAge);
    }

    static String secret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
