package dev.herald.core.port;

import dev.herald.core.dispatch.RunReport;

/** Where each run's figures go when it ends: CloudWatch on AWS, nowhere in the local runtime. */
public interface RunMetrics {

    void record(RunReport report);

    static RunMetrics none() {
        return report -> { };
    }
}
