package dev.herald.core.system;

import dev.herald.core.schedule.SendWindowsInput;

/**
 * A message system as an admin writes it. Absent optional fields take defaults: enabled, the
 * provider's rate (or 14/s), scheduling on in category {@code default}, no lateness limit,
 * one-click unsubscribe on without requiring the link in HTML bodies.
 */
public record MessageSystemSpec(String id, String name, Boolean enabled, String transport, String from,
                                String fromName, String replyTo, Double maxSendRate, Smtp smtp, Ses ses,
                                SchedulingSpec scheduling, UnsubscribeSpec unsubscribe) {

    public record Smtp(String host, Integer port, String security) {
    }

    public record Ses(String region, String configurationSet) {
    }

    public record SchedulingSpec(Boolean enabled, String category, String maxLateness, SendWindowsInput sendWindows,
                                 Integer dailyCap) {

        public SchedulingSpec(Boolean enabled, String category, String maxLateness) {
            this(enabled, category, maxLateness, null, null);
        }
    }

    public record UnsubscribeSpec(Boolean enabled, Boolean requireLinkInHtml) {
    }
}
