package dev.herald.web;

import dev.herald.core.audience.MemberInput;
import dev.herald.core.schedule.RecipientInput;
import dev.herald.core.schedule.RecurringScheduleRequest;
import dev.herald.core.schedule.ScheduleRequest;
import dev.herald.core.schedule.SendWindowsInput;
import dev.herald.core.system.MessageSystemSpec;
import io.micronaut.serde.annotation.SerdeImport;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** Request bodies: the core's request records are bound directly; the rest are small records here. */
@SerdeImport(ScheduleRequest.class)
@SerdeImport(SendWindowsInput.class)
@SerdeImport(SendWindowsInput.WindowInput.class)
@SerdeImport(RecurringScheduleRequest.class)
@SerdeImport(MemberInput.class)
@SerdeImport(RecipientInput.class)
@SerdeImport(MessageSystemSpec.class)
@SerdeImport(MessageSystemSpec.Smtp.class)
@SerdeImport(MessageSystemSpec.Ses.class)
@SerdeImport(MessageSystemSpec.SchedulingSpec.class)
@SerdeImport(MessageSystemSpec.UnsubscribeSpec.class)
final class RequestTypes {

    private RequestTypes() {
    }

    @Serdeable
    record Reschedule(String sendAt, String timeZone, String sendBy) {
    }

    @Serdeable
    record Resume(String sendAt, String timeZone) {
    }

    @Serdeable
    record JobAccountBody(String name, String password) {
        @Override
        public String toString() {
            return "JobAccountBody[name=" + name + ", password=<redacted>]";
        }
    }

    @Serdeable
    record TokenRequest(String name, String role) {
    }

    /** A list of addresses: to suppress, or to remove from an audience list. */
    @Serdeable
    record SuppressionRequest(List<String> addresses) {
    }

    @Serdeable
    record ListRequest(String messageSystem, String name) {
    }

    @Serdeable
    record MembersRequest(List<MemberInput> members) {
    }

    @Serdeable
    record ListRename(String name) {
    }
}
