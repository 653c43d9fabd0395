package dev.herald.testkit;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;

import java.nio.charset.StandardCharsets;

/** Just enough of a Lambda context for a handler outside Lambda: a request id and the remaining time. */
public record FakeLambdaContext(String requestId, int remainingMillis) implements Context {

    public String getAwsRequestId() {
        return requestId;
    }

    public String getLogGroupName() {
        return "/aws/lambda/herald-send";
    }

    public String getLogStreamName() {
        return "local";
    }

    public String getFunctionName() {
        return "herald-send";
    }

    public String getFunctionVersion() {
        return "1";
    }

    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:eu-west-1:123456789012:function:herald-send:live";
    }

    public CognitoIdentity getIdentity() {
        return null;
    }

    public ClientContext getClientContext() {
        return null;
    }

    public int getRemainingTimeInMillis() {
        return remainingMillis;
    }

    public int getMemoryLimitInMB() {
        return 1024;
    }

    public LambdaLogger getLogger() {
        return new LambdaLogger() {
            public void log(String message) {
                System.err.println(message);
            }

            public void log(byte[] message) {
                System.err.println(new String(message, StandardCharsets.UTF_8));
            }
        };
    }
}
