package dev.herald.core.schedule;

import dev.herald.core.model.Message;
import dev.herald.core.model.Run;
import dev.herald.core.model.Task;

import java.util.List;

/** A message with its tasks and runs, as a caller reads it. */
public record MessageView(Message message, List<Task> tasks, List<Run> runs) {
}
