package dev.herald.coldstart;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

import java.util.Map;

/** The baseline: a minimal plain-Java handler, no framework, no AWS client. */
public final class PlainHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        return Map.of("greeting", "hello " + event.get("name"));
    }
}
