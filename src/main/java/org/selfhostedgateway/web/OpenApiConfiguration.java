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
                description = "Publish services from home through dedicated WireGuard links to this gateway."),
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
            ModelConverters.getInstance().readAll(Problem.class).forEach(openApi.getComponents()::addSchemas);
            Content problem = new Content().addMediaType(PROBLEM_JSON,
                    new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem")));
            openApi.getPaths().values().forEach(path -> path.readOperations().forEach(operation -> {
                operation.getResponses().addApiResponse("401",
                        new ApiResponse().description("Missing or invalid bearer token"));
                operation.getResponses().forEach((code, response) -> {
                    if (code.compareTo("400") >= 0) {
                        response.setContent(problem);
                    }
                });
            }));
        };
    }
}
