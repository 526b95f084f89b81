package org.selfhostedgateway.serving;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.selfhostedgateway.link.LinkServingSource;
import org.selfhostedgateway.link.LinkServingView;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "links")
class ServingController {

    private final ObjectProvider<LinkServingSource> monitor;

    ServingController(ObjectProvider<LinkServingSource> monitor) {
        this.monitor = monitor;
    }

    @Operation(operationId = "checkLink", summary = "Check now whether the link serves visitors: DNS, TLS and "
            + "HTTP through this gateway")
    @ApiResponse(responseCode = "200", description = "The check's result (also in the link's serving field)")
    @ApiResponse(responseCode = "404", description = "No such link")
    @ApiResponse(responseCode = "503", description = "This gateway runs without a data plane")
    @PostMapping(path = "/links/{id}/check", produces = MediaType.APPLICATION_JSON_VALUE)
    LinkServingView check(@PathVariable String id) {
        LinkServingSource checks = monitor.getIfAvailable();
        if (checks == null) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                    "This gateway runs without a data plane (GATEWAY_DOCKER_ENABLED=false), so it cannot check links");
            problem.setTitle("No data plane");
            throw new ErrorResponseException(HttpStatus.SERVICE_UNAVAILABLE, problem, null);
        }
        return checks.checkNow(id);
    }
}
