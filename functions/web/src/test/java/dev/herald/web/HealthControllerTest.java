package dev.herald.web;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HealthControllerTest {

    @Test
    void aComponentDown_orOneWhoseCheckFails_makesItA503_namingIt() {
        HealthController health = new HealthController(List.of(new ComponentHealth("database", () -> true),
                new ComponentHealth("scheduler", () -> false), new ComponentHealth("broken", () -> {
                    throw new IllegalStateException("no");
                })));

        var response = health.health();

        assertThat(response.code()).isEqualTo(503);
        assertThat(response.body()).isEqualTo(new Views.Health("DOWN",
                Map.of("database", "UP", "scheduler", "DOWN", "broken", "DOWN")));
    }

    @Test
    void withoutComponents_answeringIsBeingUp() {
        var response = new HealthController(List.of()).health();

        assertThat(response.code()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(new Views.Health("UP", null));
    }
}
