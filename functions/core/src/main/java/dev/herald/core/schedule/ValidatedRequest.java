package dev.herald.core.schedule;

import dev.herald.core.model.AudienceList;
import dev.herald.core.model.DeliveryGuarantee;
import dev.herald.core.model.MessageSystem;
import dev.herald.core.model.SendWindows;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;

/**
 * A schedule request that passed every check, with what the checks resolved ({@code list} null: recipients given). A
 * local-time message has its {@code localSendAt} and its recipients (its list's members) in {@code localGroups}, one
 * per instant, earliest first; its {@code sendTime} is the earliest.
 */
record ValidatedRequest(ScheduleRequest request, MessageSystem system, SendTime sendTime, Instant sendBy,
                        DeliveryGuarantee delivery, AudienceList list, SendWindows sendWindows,
                        Integer dailyCap, LocalDateTime localSendAt, List<LocalTimeGroups.Group> localGroups) {
}
