package dev.herald.core.access;

import dev.herald.core.error.ConflictException;
import dev.herald.core.error.FieldError;
import dev.herald.core.error.ForbiddenException;
import dev.herald.core.error.ValidationException;
import dev.herald.core.testing.InMemoryTokenStore;
import dev.herald.core.testing.MutableClock;
import dev.herald.core.testing.SequentialIds;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenServiceTest {

    private static final String CHOSEN = "chosen-admin-token-0123456789";

    private final InMemoryTokenStore store = new InMemoryTokenStore();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:15:30.250Z"));
    private final TokenService tokens = new TokenService(store, clock, new SequentialIds());

    @Test
    void aTokenIsGeneratedOnTheVeryFirstStartOnly_andAuthenticatesAsAdmin() {
        String generated = tokens.bootstrap(null).orElseThrow();

        assertThat(tokens.bootstrap(null)).isEmpty();
        assertThat(tokens.authenticate(generated)).map(Caller::role).contains(Role.ADMIN);
        assertThat(store.listTokens()).hasSize(1);
    }

    @Test
    void aChosenAdminTokenReplacesThePreviousBootstrapToken_butNotTheTokensIssuedSince() {
        String generated = tokens.bootstrap(null).orElseThrow();
        Caller admin = tokens.authenticate(generated).orElseThrow();
        String sender = tokens.create(admin, "newsletter", "sender").plaintext();

        tokens.bootstrap(CHOSEN);
        tokens.bootstrap(CHOSEN); // the next start with the same setting changes nothing

        assertThat(tokens.authenticate(generated)).isEmpty();
        assertThat(tokens.authenticate(CHOSEN)).map(Caller::role).contains(Role.ADMIN);
        assertThat(tokens.authenticate(sender)).map(Caller::role).contains(Role.SENDER);
        assertThat(store.listTokens()).hasSize(2);
    }

    @Test
    void aWeakChosenTokenIsRefused() {
        for (String weak : new String[] {"short-token", "a".repeat(40), "twenty-four characters with spaces", "ab".repeat(15)}) {
            assertThatThrownBy(() -> tokens.bootstrap(weak)).as(weak).isInstanceOf(TokenService.WeakTokenException.class)
                    .hasMessageContaining("at least 24 characters").hasMessageNotContaining(weak);
        }
        assertThat(store.listTokens()).isEmpty();
    }

    @Test
    void aTokensLastUseIsRecordedAsItHappened_atMostOnceAMinute() {
        tokens.bootstrap(CHOSEN);
        Instant first = clock.instant();

        tokens.authenticate(CHOSEN);
        clock.advance(Duration.ofSeconds(59));
        tokens.authenticate(CHOSEN);

        assertThat(store.listTokens().get(0).lastUsedAt()).isEqualTo(first);
        assertThat(store.updates()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(2));
        tokens.authenticate(CHOSEN);

        assertThat(store.listTokens().get(0).lastUsedAt()).isEqualTo(clock.instant());
        assertThat(store.updates()).isEqualTo(2);
    }

    @Test
    void aRevokedTokenAuthenticatesNothing_andTheLastAdminTokenCannotBeRevoked() {
        tokens.bootstrap(CHOSEN);
        Caller admin = tokens.authenticate(CHOSEN).orElseThrow();
        TokenService.IssuedToken sender = tokens.create(admin, "newsletter", "sender");

        tokens.revoke(admin, sender.token().id());

        assertThat(tokens.authenticate(sender.plaintext())).isEmpty();
        assertThatThrownBy(() -> tokens.revoke(admin, admin.id())).isInstanceOf(ConflictException.class)
                .hasMessageContaining("last admin token");
        TokenService.IssuedToken second = tokens.create(admin, "second admin", "admin");
        tokens.revoke(admin, admin.id());
        assertThat(tokens.authenticate(CHOSEN)).isEmpty();
        assertThat(tokens.authenticate(second.plaintext())).isPresent();
    }

    @Test
    void onlyAdminsListIssueAndRevoke() {
        tokens.bootstrap(CHOSEN);
        Caller admin = tokens.authenticate(CHOSEN).orElseThrow();
        Caller sender = tokens.authenticate(tokens.create(admin, "newsletter", "sender").plaintext()).orElseThrow();

        assertThatThrownBy(() -> tokens.list(sender)).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> tokens.create(sender, "mine", "admin")).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> tokens.revoke(sender, admin.id())).isInstanceOf(ForbiddenException.class);
    }

    @Test
    void aNewTokenNeedsAPrintableNameAndAKnownRole_bothNamedAtOnce() {
        tokens.bootstrap(CHOSEN);
        Caller admin = tokens.authenticate(CHOSEN).orElseThrow();

        assertThatThrownBy(() -> tokens.create(admin, "line\nbreak", "owner"))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field).containsExactly("name", "role"));
        assertThat(store.listTokens()).hasSize(1);
    }
}
