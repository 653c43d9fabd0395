package dev.herald.web;

import dev.herald.core.access.Caller;
import dev.herald.core.access.Role;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class JwtClaimsCallersTest {

    private final JwtClaimsCallers callers = new JwtClaimsCallers(JwtClaimsCallers.DEFAULT_GROUPS_CLAIM);

    @ParameterizedTest
    @ValueSource(strings = {"[herald-admin herald-sender]", "herald-sender,herald-admin", "herald-admin",
            "[\"herald-admin\",\"other\"]", " [ other , herald-admin ] "})
    void everyFlattenedShapeOfTheGroupsClaim_isRead(String groupsClaim) {
        assertThat(callers.caller(Map.of("sub", "user-1", "cognito:groups", groupsClaim)))
                .contains(new Caller("user-1", Role.ADMIN));
    }

    @Test
    void aSenderGroup_makesASender() {
        assertThat(callers.caller(Map.of("sub", "user-2", "cognito:groups", "[readers herald-sender]")))
                .contains(new Caller("user-2", Role.SENDER));
    }

    @Test
    void noSubject_noHeraldGroup_orNoClaims_isNobody() {
        assertThat(callers.caller(Map.of("cognito:groups", "herald-admin"))).isEmpty();
        assertThat(callers.caller(Map.of("sub", "user-3", "cognito:groups", "[herald-administrators]"))).isEmpty();
        assertThat(callers.caller(Map.of("sub", "user-3"))).isEmpty();
        assertThat(callers.caller(null)).isEmpty();
    }

    @Test
    void theGroupsClaimIsConfigurable() {
        JwtClaimsCallers custom = new JwtClaimsCallers("groups");

        assertThat(custom.caller(Map.of("sub", "u", "groups", "herald-sender"))).contains(new Caller("u", Role.SENDER));
        assertThat(custom.caller(Map.of("sub", "u", "cognito:groups", "herald-sender"))).isEmpty();
    }
}
