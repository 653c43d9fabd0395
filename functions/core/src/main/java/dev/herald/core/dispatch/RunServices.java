package dev.herald.core.dispatch;

import dev.herald.core.port.RunMetrics;
import dev.herald.core.port.Store;
import dev.herald.core.port.TaskScheduler;
import dev.herald.core.port.TransportFactory;
import dev.herald.core.render.TemplateRenderer;
import dev.herald.core.system.JobAccounts;
import dev.herald.core.unsubscribe.UnsubscribeLinks;

import java.time.Clock;

/** What a run works with, handed to it when it starts. */
record RunServices(Store store, JobAccounts jobAccounts, TransportFactory transports, TaskScheduler scheduler,
                   TemplateRenderer renderer, UnsubscribeLinks unsubscribeLinks, RateLimiters rateLimiters,
                   DispatchSettings settings, RunMetrics metrics, Clock clock) {
}
