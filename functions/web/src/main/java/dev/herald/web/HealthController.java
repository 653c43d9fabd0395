package dev.herald.web;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/health}, without a token: {@code UP} with each component's state, or {@code 503}
 * and {@code DOWN} when any component is down. A runtime without components (the API function,
 * whose platform watches it) is up when it answers.
 */
@Tag(name = "Health")
@ApiDocument.RequestLimits
@Controller("/v1/health")
public class HealthController {

    private final List<ComponentHealth> components;

    public HealthController(List<ComponentHealth> components) {
        this.components = components;
    }

    @Operation(operationId = "health", summary = "Whether Herald and its components are up")
    @ApiResponse(responseCode = "200", description = "Up", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "503", description = "A component is down", useReturnTypeSchema = true)
    @Get
    public HttpResponse<Views.Health> health() {
        Map<String, String> states = new LinkedHashMap<>();
        boolean up = true;
        for (ComponentHealth component : components) {
            boolean componentUp = component.isUp();
            states.put(component.name(), componentUp ? "UP" : "DOWN");
            up &= componentUp;
        }
        Views.Health health = new Views.Health(up ? "UP" : "DOWN", states.isEmpty() ? null : states);
        return HttpResponse.status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(health);
    }
}
