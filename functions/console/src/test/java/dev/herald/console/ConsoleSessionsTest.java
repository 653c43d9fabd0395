package dev.herald.console;

import dev.herald.core.access.TokenService;
import dev.herald.core.testing.InMemoryTokenStore;
import dev.herald.core.testing.MutableClock;
import dev.herald.core.testing.SequentialIds;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

/** The console's sessions as they age, on a clock the test moves. */
class ConsoleSessionsTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-15T10:00:00Z"));
    private final TokenService tokens = new TokenService(new InMemoryTokenStore(), clock, new SequentialIds());
    private final ConsoleSessions sessions = new ConsoleSessions(tokens, clock);
    private final String admin = tokens.bootstrap(null).orElseThrow();

    @Test
    void aSignIn_takesOnlyAValidToken() {
        assertThat(sessions.signIn("not-a-token", PARIS)).isEmpty();
        assertThat(sessions.signIn(null, PARIS)).isEmpty();
        assertThat(sessions.signIn(" " + admin + " ", PARIS)).isPresent();
        assertThat(sessions.heldCount()).isEqualTo(1);
    }

    @Test
    void sessionsIdleForEightHours_areLetGoAtTheNextSignIn_theOthersAreKept() {
        sessions.signIn(admin, PARIS);
        sessions.signIn(admin, PARIS);
        clock.advance(Duration.ofHours(7));
        sessions.signIn(admin, PARIS);
        assertThat(sessions.heldCount()).as("none idle for eight hours yet").isEqualTo(3);

        clock.advance(Duration.ofHours(1).plusSeconds(1));
        sessions.signIn("not-a-token", PARIS);

        assertThat(sessions.heldCount()).as("the two signed in eight hours ago are gone, even at a failed sign-in")
                .isEqualTo(1);
    }
}
