package dev.herald.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * The API function: Herald's HTTP API behind API Gateway (payload 2.0). With SnapStart,
 * {@link #beforeCheckpoint} primes it so that the snapshot holds warm routes, serializers and clients.
 */
public class ApiHandler extends APIGatewayV2HTTPEventFunction implements Resource {

    /** A message id no message has (ids are UUIDs): reading it is a DynamoDB read and a 404. */
    static final String PRIMING_ID = "herald-priming";
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);

    /** For Lambda. */
    public ApiHandler() {
        Core.getGlobalContext().register(this);
    }

    /** For tests: over this application context. */
    public ApiHandler(ApplicationContext context) {
        super(context);
        Core.getGlobalContext().register(this);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to renew: the SDK's clients open fresh connections when the old ones fail.
    }

    /**
     * Runs requests through the whole stack without side effects: the health check, and a sender
     * reading a message that does not exist (authorization, routing, a DynamoDB read, problem+json).
     * Answers their status codes.
     */
    List<Integer> prime() {
        String groupsClaim = getApplicationContext().getBean(ApiConfiguration.class).getGroupsClaim();
        int health = handleRequest(get("/v1/health", null), null).getStatusCode();
        int missing = handleRequest(get("/v1/messages/" + PRIMING_ID,
                Map.of("sub", PRIMING_ID, groupsClaim, "[herald-sender]")), null).getStatusCode();
        LOG.info("Primed: health {}, a missing message {}", health, missing);
        return List.of(health, missing);
    }

    private static APIGatewayV2HTTPEvent get(String path, Map<String, String> claims) {
        APIGatewayV2HTTPEvent.RequestContext.RequestContextBuilder context = APIGatewayV2HTTPEvent.RequestContext.builder()
                .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("GET").withPath(path).build())
                .withRequestId(PRIMING_ID).withStage("$default");
        if (claims != null) {
            context.withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                    .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder().withClaims(claims).build()).build());
        }
        return APIGatewayV2HTTPEvent.builder().withVersion("2.0").withRouteKey("$default").withRawPath(path)
                .withHeaders(Map.of("accept", "application/json")).withIsBase64Encoded(false)
                .withRequestContext(context.build()).build();
    }
}
