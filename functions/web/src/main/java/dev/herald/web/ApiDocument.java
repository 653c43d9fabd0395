package dev.herald.web;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The shared parts of the OpenAPI document that the build writes from the controllers
 * (micronaut-openapi, at compile time): what the API is, how callers authenticate, and groups of
 * answers and parameters, each spelled once so that a controller names the groups that apply.
 */
@OpenAPIDefinition(
        info = @Info(title = "Herald", version = "1",
                description = "Scheduled bulk e-mail: schedule a message for a future instant, deliver it on time, "
                        + "record every outcome."))
@SecurityScheme(name = "token", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "The local runtime: a Herald token (admin or sender), as Authorization: Bearer <token>.")
@SecurityScheme(name = "jwt", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT",
        description = "On AWS: a JWT from the stack's issuer, checked by the API Gateway authorizer.")
final class ApiDocument {

    private ApiDocument() {
    }

    /**
     * An operation that needs credentials (a token locally, a JWT on AWS): they may be missing or not
     * enough, the request bad, a backing service failing.
     */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @SecurityRequirement(name = "token")
    @SecurityRequirement(name = "jwt")
    @ApiResponse(responseCode = "400", description = "Invalid request: `errors` names every field at fault.",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "401", description = "No valid credentials.",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "The caller may not do this (an admin's operation, say).",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "415", description = "The body is not application/json.",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "503", description = "A backing service failed; the request may be retried.",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @interface Authenticated {
    }

    /** Any request: the server reads a request line, headers and a body up to a size. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @ApiResponse(responseCode = "413", description = "The body is larger than the API reads.",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "414", description = "The request line is longer than the server reads.",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "431", description = "The headers are larger than the server reads.",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @interface RequestLimits {
    }

    /** An operation on one resource, which may not exist or not be the caller's. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @ApiResponse(responseCode = "404", description = "No such resource, or not the caller's.",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @interface Found {
    }

    /** An operation that the resource's state may not allow now. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @ApiResponse(responseCode = "409", description = "Not in the state this needs; `detail` says why.",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @interface Conflicting {
    }

    /** A page of a listing: its size and where it goes on. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @Parameter(description = "Items per page, from 1 to the listing's maximum.",
            schema = @Schema(implementation = Integer.class, minimum = "1"))
    @interface Limit {
    }

    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @Parameter(description = "The `nextCursor` of the page before.", schema = @Schema(implementation = String.class))
    @interface Cursor {
    }
}
