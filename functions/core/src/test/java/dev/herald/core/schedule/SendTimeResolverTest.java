package dev.herald.core.schedule;

import dev.herald.core.error.FieldError;
import dev.herald.core.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class SendTimeResolverTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-15T10:00:00Z"));
    private final SendTimeResolver resolver = new SendTimeResolver(clock, Duration.ofSeconds(60), Period.ofYears(5));
    private final List<FieldError> errors = new ArrayList<>();

    @Test
    void offsetDateTime_isTakenAsIs_andTheZoneKeptForDisplay() {
        SendTime time = resolver.resolve("2030-03-05T09:00:00+01:00", "Europe/Paris", errors).orElseThrow();

        assertThat(time.instant()).isEqualTo(Instant.parse("2030-03-05T08:00:00Z"));
        assertThat(time.timeZone()).isEqualTo("Europe/Paris");
        assertThat(time.immediate()).isFalse();
        assertThat(errors).isEmpty();
    }

    @Test
    void localDateTime_isReadInTheGivenZone() {
        SendTime time = resolver.resolve("2030-07-01T09:00", "America/New_York", errors).orElseThrow();

        assertThat(time.instant()).isEqualTo(Instant.parse("2030-07-01T13:00:00Z"));
    }

    @Test
    void dstGap_shiftsForwardByTheLengthOfTheGap() {
        // Paris springs forward on 2030-03-31: 02:00 becomes 03:00, so 02:30 does not exist.
        SendTime time = resolver.resolve("2030-03-31T02:30:00", "Europe/Paris", errors).orElseThrow();

        assertThat(time.instant()).isEqualTo(Instant.parse("2030-03-31T01:30:00Z")); // 03:30 +02:00
    }

    @Test
    void dstOverlap_takesTheEarlierOffset() {
        // Paris falls back on 2030-10-27: 02:30 happens twice, first at +02:00, then at +01:00.
        SendTime time = resolver.resolve("2030-10-27T02:30:00", "Europe/Paris", errors).orElseThrow();

        assertThat(time.instant()).isEqualTo(Instant.parse("2030-10-27T00:30:00Z"));
    }

    @Test
    void absentOrNow_isImmediate() {
        assertThat(resolver.resolve(null, null, errors).orElseThrow().immediate()).isTrue();
        assertThat(resolver.resolve("now", null, errors).orElseThrow().instant()).isEqualTo(clock.instant());
    }

    @Test
    void anEmptySendAt_isRefused_notTakenForNow() {
        for (String empty : List.of("", "   ", "\t")) {
            List<FieldError> found = new ArrayList<>();
            assertThat(resolver.resolve(empty, null, found)).isEmpty();
            assertThat(found).singleElement().satisfies(e -> {
                assertThat(e.field()).isEqualTo("sendAt");
                assertThat(e.message()).contains("must not be empty");
            });
        }
    }

    @Test
    void onlyIanaZoneNames_areTimeZones_offsetsBelongInSendAt() {
        for (String notIana : List.of("GMT+5", "+01:00", "Z", "UTC+1", "europe/paris", "", "CEST")) {
            List<FieldError> found = new ArrayList<>();
            assertThat(resolver.resolve("2030-07-01T09:00", notIana, found)).as(notIana).isEmpty();
            assertThat(found).as(notIana).singleElement().satisfies(e -> assertThat(e.field()).isEqualTo("timeZone"));
        }
        assertThat(resolver.resolve("2030-07-01T09:00", "UTC", errors)).isPresent();
        assertThat(resolver.resolve("2030-07-01T09:00", "Etc/GMT-5", errors).orElseThrow().instant())
                .isEqualTo(Instant.parse("2030-07-01T04:00:00Z"));
    }

    @Test
    void slightlyPast_withinTolerance_isImmediate() {
        SendTime time = resolver.resolve("2030-01-15T09:59:30Z", null, errors).orElseThrow();

        assertThat(time.immediate()).isTrue();
        assertThat(time.instant()).isEqualTo(clock.instant());
    }

    @Test
    void moreThanToleranceInThePast_isRejected() {
        Optional<SendTime> time = resolver.resolve("2030-01-15T09:58:59Z", null, errors);

        assertThat(time).isEmpty();
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("sendAt");
            assertThat(e.message()).contains("past");
        });
    }

    @Test
    void beyondTheHorizon_isRejected_andTheHorizonIsConfigurable() {
        assertThat(resolver.resolve("2035-01-15T10:00:01Z", null, errors)).isEmpty();
        assertThat(errors).extracting(FieldError::message).singleElement().asString().contains("horizon");

        SendTimeResolver shortHorizon = new SendTimeResolver(clock, Duration.ofSeconds(60), Period.ofDays(7));
        assertThat(shortHorizon.resolve("2030-01-23T10:00:00Z", null, new ArrayList<>())).isEmpty();
        assertThat(shortHorizon.resolve("2030-01-21T10:00:00Z", null, new ArrayList<>())).isPresent();
    }

    @Test
    void unknownZone_localWithoutZone_andGarbage_areEachNamed() {
        resolver.resolve("2030-02-01T09:00", "Mars/Olympus", errors);
        resolver.resolve("2030-02-01T09:00", null, errors);
        resolver.resolve("next tuesday", null, errors);

        assertThat(errors).extracting(FieldError::field).containsExactly("timeZone", "sendAt", "sendAt");
        assertThat(errors.get(0).message()).contains("Mars/Olympus");
        assertThat(errors.get(1).message()).contains("timeZone");
        assertThat(errors.get(2).message()).contains("ISO-8601");
    }
}
