package dev.herald.core.rules;

import java.time.ZoneId;
import java.util.Optional;
import java.util.Set;

/**
 * Time zones as Herald takes them: names of the IANA time zone database ({@code Europe/Paris}, {@code UTC}),
 * never an offset ({@code +01:00}, {@code GMT+5}), whose rules would not follow a place through its DST changes.
 */
public final class TimeZoneRules {

    /** The IANA names the JDK's time zone database knows. */
    private static final Set<String> IANA_ZONES = Set.copyOf(ZoneId.getAvailableZoneIds());

    private TimeZoneRules() {
    }

    /** The zone of that name, if it is an IANA time zone. */
    public static Optional<ZoneId> zone(String name) {
        return Optional.ofNullable(name).filter(IANA_ZONES::contains).map(ZoneId::of);
    }

    /** Why the name is not a time zone Herald takes, or empty when it is one. */
    public static Optional<String> problemWithZone(String name) {
        return zone(name).isPresent() ? Optional.empty()
                : Optional.of("'" + name + "' is not an IANA time zone: use a name such as Europe/Paris or UTC");
    }
}
