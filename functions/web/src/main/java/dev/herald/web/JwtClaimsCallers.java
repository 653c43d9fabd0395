package dev.herald.web;

import dev.herald.core.access.Caller;
import dev.herald.core.access.Role;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who calls, from the claims an API Gateway JWT authorizer verified: {@code sub} is the caller;
 * the groups claim maps {@code herald-admin} and {@code herald-sender} to the roles. API Gateway
 * hands claims to Lambda as strings, flattening an array claim into shapes like {@code [a b]},
 * {@code a,b} or a bare {@code a}; each is accepted.
 */
public final class JwtClaimsCallers {

    public static final String DEFAULT_GROUPS_CLAIM = "cognito:groups";
    static final String ADMIN_GROUP = "herald-admin";
    static final String SENDER_GROUP = "herald-sender";

    private final String groupsClaim;

    public JwtClaimsCallers(String groupsClaim) {
        this.groupsClaim = groupsClaim;
    }

    /** The caller, or empty when the claims name no subject or no Herald group. */
    public Optional<Caller> caller(Map<String, String> claims) {
        if (claims == null) {
            return Optional.empty();
        }
        String subject = claims.get("sub");
        if (subject == null || subject.isBlank()) {
            return Optional.empty();
        }
        Set<String> groups = groups(claims.get(groupsClaim));
        if (groups.contains(ADMIN_GROUP)) {
            return Optional.of(new Caller(subject, Role.ADMIN));
        }
        if (groups.contains(SENDER_GROUP)) {
            return Optional.of(new Caller(subject, Role.SENDER));
        }
        return Optional.empty();
    }

    /** The group names in a flattened claim: brackets, commas, whitespace and quotes are separators. */
    static Set<String> groups(String claim) {
        if (claim == null) {
            return Set.of();
        }
        return Arrays.stream(claim.replaceAll("[\\[\\]\"]", " ").split("[,\\s]+"))
                .filter(group -> !group.isEmpty())
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }
}
