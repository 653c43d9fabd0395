package dev.herald.core.schedule;

import dev.herald.core.model.Counts;
import dev.herald.core.model.Message;
import dev.herald.core.model.Run;
import dev.herald.core.model.Task;

import java.util.List;

/**
 * A message with its tasks and runs, as a caller reads it: the counts its runs recorded ({@code recorded}), and
 * what the provider reported of its mails ({@code feedback}: only its delivered, bounced, complained and rejected
 * are read).
 */
public record MessageView(Message message, List<Task> tasks, List<Run> runs, Counts recorded, Counts feedback) {

    /** The recipients by outcome: as the runs recorded them, and what the provider reported since. */
    public Counts counts() {
        return recorded.withFeedbackOf(feedback);
    }
}
