package dev.herald.web;

import dev.herald.core.access.Caller;
import dev.herald.core.model.MessageSystem;
import dev.herald.core.system.MessageSystemService;
import dev.herald.core.system.MessageSystemSpec;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;

import java.util.List;

/** Message systems and their job accounts: admins only. */
@Consumes(MediaType.APPLICATION_JSON)
@Controller("/v1/message-systems")
public class MessageSystemController {

    private final MessageSystemService systems;
    private final CallerResolver callers;
    private final RequestBodies bodies;

    public MessageSystemController(MessageSystemService systems, CallerResolver callers, RequestBodies bodies) {
        this.systems = systems;
        this.callers = callers;
        this.bodies = bodies;
    }

    private Caller admin(HttpRequest<?> request) {
        Caller caller = callers.require(request);
        caller.requireAdmin();
        return caller;
    }

    @Post
    public HttpResponse<Views.MessageSystemBody> create(HttpRequest<?> request, @Nullable @Body byte[] body) {
        Caller caller = admin(request);
        MessageSystem created = systems.create(caller, bodies.read(body, "message-system", MessageSystemSpec.class));
        return HttpResponse.<Views.MessageSystemBody>status(HttpStatus.CREATED)
                .header("Location", "/v1/message-systems/" + created.id())
                .body(Views.MessageSystemBody.of(created));
    }

    @Get
    public Views.PageBody<Views.MessageSystemBody> list(HttpRequest<?> request) {
        List<Views.MessageSystemBody> items = systems.list(admin(request)).stream().map(Views.MessageSystemBody::of).toList();
        return new Views.PageBody<>(items, null);
    }

    @Get("/{id}")
    public Views.MessageSystemBody get(HttpRequest<?> request, @PathVariable String id) {
        return Views.MessageSystemBody.of(systems.get(admin(request), id));
    }

    @Put("/{id}")
    public Views.MessageSystemBody update(HttpRequest<?> request, @PathVariable String id, @Nullable @Body byte[] body) {
        Caller caller = admin(request);
        return Views.MessageSystemBody.of(systems.update(caller, id, bodies.read(body, "message-system", MessageSystemSpec.class)));
    }

    @Delete("/{id}")
    public HttpResponse<Void> delete(HttpRequest<?> request, @PathVariable String id) {
        systems.delete(admin(request), id);
        return HttpResponse.noContent();
    }

    @Put("/{id}/job-account")
    public HttpResponse<Void> setJobAccount(HttpRequest<?> request, @PathVariable String id, @Nullable @Body byte[] body) {
        Caller caller = admin(request);
        RequestTypes.JobAccountBody account = bodies.read(body, "job-account", RequestTypes.JobAccountBody.class);
        systems.setJobAccount(caller, id, account.name(), account.password());
        return HttpResponse.noContent();
    }

    @Delete("/{id}/job-account")
    public HttpResponse<Void> removeJobAccount(HttpRequest<?> request, @PathVariable String id) {
        systems.removeJobAccount(admin(request), id);
        return HttpResponse.noContent();
    }
}
