package dev.herald.core.schedule;

import dev.herald.core.model.AudienceList;
import dev.herald.core.model.DeliveryGuarantee;
import dev.herald.core.model.MessageSystem;
import dev.herald.core.model.SendWindows;

import java.time.Instant;

/** A schedule request that passed every check, with what the checks resolved ({@code list} null: recipients given). */
record ValidatedRequest(ScheduleRequest request, MessageSystem system, SendTime sendTime, Instant sendBy,
                        DeliveryGuarantee delivery, AudienceList list, SendWindows sendWindows,
                        Integer dailyCap) {
}
