package dev.herald.core.schedule;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The recipients of a local-time message grouped by the instant its local date-time falls on in each one's zone (the
 * fallback zone for those without one), earliest first: one group per distinct instant. The zone's rules decide, as for
 * any send time: in a DST gap the time moves forward by the gap, in an overlap the earlier offset wins.
 */
final class LocalTimeGroups {

    /** The recipients whose local send time is {@code instant}, and the zones they are in. */
    record Group(Instant instant, List<String> timeZones, List<RecipientInput> recipients) {
    }

    private LocalTimeGroups() {
    }

    /** Each recipient's zone is an IANA name, or null for the fallback; the caller checked them. */
    static List<Group> of(LocalDateTime at, ZoneId fallback, List<RecipientInput> recipients) {
        Map<String, Instant> instantOfZone = new HashMap<>();
        TreeMap<Instant, List<RecipientInput>> byInstant = new TreeMap<>();
        TreeMap<Instant, TreeSet<String>> zonesByInstant = new TreeMap<>();
        for (RecipientInput recipient : recipients) {
            String zone = recipient.timeZone() == null ? fallback.getId() : recipient.timeZone();
            Instant instant = instantOfZone.computeIfAbsent(zone, z -> instantIn(at, ZoneId.of(z)));
            byInstant.computeIfAbsent(instant, i -> new ArrayList<>()).add(recipient);
            zonesByInstant.computeIfAbsent(instant, i -> new TreeSet<>()).add(zone);
        }
        List<Group> groups = new ArrayList<>();
        byInstant.forEach((instant, members) ->
                groups.add(new Group(instant, List.copyOf(zonesByInstant.get(instant)), List.copyOf(members))));
        return groups;
    }

    /**
     * The groups with every instant that is not after {@code now} made {@code now}, in one group: where the local time
     * has already passed, the recipients get the message at once.
     */
    static List<Group> notBefore(Instant now, List<Group> groups) {
        List<Group> due = groups.stream().filter(g -> !g.instant().isAfter(now)).toList();
        if (due.isEmpty()) {
            return groups;
        }
        TreeSet<String> zones = new TreeSet<>();
        List<RecipientInput> recipients = new ArrayList<>();
        due.forEach(g -> {
            zones.addAll(g.timeZones());
            recipients.addAll(g.recipients());
        });
        List<Group> merged = new ArrayList<>();
        merged.add(new Group(now, List.copyOf(zones), List.copyOf(recipients)));
        merged.addAll(groups.subList(due.size(), groups.size()));
        return merged;
    }

    /** The instant of a local date-time in a zone, by the zone's rules. */
    static Instant instantIn(LocalDateTime at, ZoneId zone) {
        return ZonedDateTime.ofLocal(at, zone, null).toInstant();
    }
}
