package org.selfhostedgateway.web;

import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.annotations.servers.Server;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The API's description; {@code openapi.yaml} at the top of the repository must equal what this serves. */
@Configuration
@OpenAPIDefinition(
        info = @Info(title = "selfhosted-gateway", version = "v1",
                description = "Publish services from home through dedicated WireGuard links to this gateway. Every "
                        + "error is an RFC 9457 problem document (application/problem+json), including 405 for a "
                        + "method a path does not offer, 406 when none of the Accept types can be served, 413 for "
                        + "a body over GATEWAY_MAX_BODY_SIZE and 415 for a body that is not application/json."),
        servers = @Server(url = "http://localhost:8080", description = "The gateway's API on its own host"),
        security = @SecurityRequirement(name = "bearerAuth"))
@SecurityScheme(name = "bearerAuth", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "GATEWAY_API_TOKEN, or the api-token file in the data directory")
class OpenApiConfiguration {

    private static final String PROBLEM_JSON = "application/problem+json";

    /** Every error answers with a problem body, and every operation can answer 401: say so once, here. */
    @Bean
    OpenApiCustomizer problemResponses() {
        return openApi -> {
            ModelConverters.getInstance().readAll(Problem.class).forEach((name, schema) ->
                    openApi.getComponents().addSchemas(name, objectSchema(schema)));
            Content problem = new Content().addMediaType(PROBLEM_JSON,
                    new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem")));
            openApi.getPaths().values().forEach(path -> path.readOperations().forEach(operation -> {
                operation.getResponses().addApiResponse("401",
                        new ApiResponse().description("Missing or invalid bearer token"));
                if (operation.getRequestBody() != null) {
                    operation.getResponses().addApiResponse("413", new ApiResponse()
                            .description("The body is larger than GATEWAY_MAX_BODY_SIZE (64KB by default)"));
                    operation.getResponses().addApiResponse("415", new ApiResponse()
                            .description("The body is not sent as Content-Type: application/json"));
                }
                if (answersJsonOnly(operation)) {
                    operation.getResponses().addApiResponse("406", new ApiResponse()
                            .description("The Accept header allows neither application/json nor a problem"));
                }
                operation.getResponses().forEach((code, response) -> {
                    if (code.compareTo("400") >= 0) {
                        response.setContent(problem);
                    }
                });
            }));
        };
    }

    /** Problem and FieldProblem are objects; say so, as for every other schema, so generators make models. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static Schema objectSchema(Schema schema) {
        schema.setType("object");
        schema.addType("object");
        return schema;
    }

    /** Operations whose success is JSON only; the compose snippet, which answers any Accept, is not one. */
    private static boolean answersJsonOnly(io.swagger.v3.oas.models.Operation operation) {
        return operation.getResponses().entrySet().stream()
                .filter(response -> response.getKey().startsWith("2"))
                .map(response -> response.getValue().getContent())
                .anyMatch(content -> content != null && content.keySet().equals(java.util.Set.of("application/json")));
    }
}
