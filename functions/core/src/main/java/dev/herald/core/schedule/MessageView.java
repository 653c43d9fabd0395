package dev.herald.core.schedule;

import dev.herald.core.model.Counts;
import dev.herald.core.model.Message;
import dev.herald.core.model.Run;
import dev.herald.core.model.Task;

import java.util.List;
import java.util.Map;

/**
 * A message with its tasks and runs, as a caller reads it: the counts its runs recorded ({@code recorded}), and
 * what the provider reported of its mails ({@code feedback}: only its delivered, bounced, complained and rejected
 * are read). A message of several tasks (a local-time one) has the counts of each task's recipients in
 * {@code taskCounts}, by task id; they add up to the message's.
 */
public record MessageView(Message message, List<Task> tasks, List<Run> runs, Counts recorded, Counts feedback,
                          Map<String, Counts> taskCounts) {

    /** The recipients by outcome: as the runs recorded them, and what the provider reported since. */
    public Counts counts() {
        return recorded.withFeedbackOf(feedback);
    }
}
