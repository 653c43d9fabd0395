package dev.herald.core.schedule;

import java.time.Instant;

/** A resolved send instant (UTC) with the zone kept for display; {@code immediate} when due now. */
public record SendTime(Instant instant, String timeZone, boolean immediate) {
}
