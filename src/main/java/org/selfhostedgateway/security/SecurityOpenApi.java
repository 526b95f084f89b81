package org.selfhostedgateway.security;

import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.responses.ApiResponse;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Any operation can be refused with 429 when the caller's address presented too many wrong tokens: say so. */
@Configuration
class SecurityOpenApi {

    @Bean
    OpenApiCustomizer tooManyAttemptsResponses() {
        return openApi -> openApi.getPaths().values().forEach(path -> path.readOperations().forEach(operation ->
                operation.getResponses().addApiResponse("429", new ApiResponse()
                        .description("Too many invalid tokens from this address lately; retry after Retry-After "
                                + "seconds")
                        .addHeaderObject("Retry-After", new Header().description("Seconds to wait")
                                .schema(new StringSchema()))
                        .content(new Content().addMediaType("application/problem+json",
                                new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem")))))));
    }
}
