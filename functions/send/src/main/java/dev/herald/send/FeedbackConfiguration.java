package dev.herald.send;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.NotBlank;

/** What the feedback function is told by its environment: only the table (HERALD_TABLE). */
@ConfigurationProperties("herald")
public interface FeedbackConfiguration {

    @NotBlank
    String getTable();
}
