package dev.herald.web;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

@Controller("/v1/health")
public class HealthController {

    @Get
    public Views.Health health() {
        return new Views.Health("UP");
    }
}
