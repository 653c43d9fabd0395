package dev.herald.aws;

import dev.herald.testkit.AwsClients;
import dev.herald.testkit.Emulator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.scheduler.SchedulerClient;

/** moto's EventBridge Scheduler for a test class, and the target the scheduler adapters' tests arm schedules for. */
final class MotoScheduler implements BeforeAllCallback, AfterAllCallback {

    static final String FUNCTION = "arn:aws:lambda:eu-west-1:123456789012:function:herald-send:live";
    static final String ROLE = "arn:aws:iam::123456789012:role/herald-scheduler";
    static final String DLQ = "arn:aws:sqs:eu-west-1:123456789012:herald-dlq";

    private Emulator moto;
    private SchedulerClient client;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        moto = Emulator.moto();
        client = AwsClients.scheduler(moto.endpoint());
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        client.close();
        moto.close();
    }

    SchedulerClient client() {
        return client;
    }
}
