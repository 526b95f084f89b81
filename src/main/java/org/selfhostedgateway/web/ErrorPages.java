package org.selfhostedgateway.web;

import java.net.URI;
import java.util.Map;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Controller;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.ModelAndView;

/**
 * Errors found before a controller was chosen (the firewall refusing a path, a method the server does not allow, a
 * failure in a filter) are forwarded here by the servlet container. A browser gets the error page; everyone else
 * gets a problem document from {@link ProblemHandler}, like every other error.
 */
@Hidden
@Controller
@RequestMapping("${server.error.path:/error}")
class ErrorPages implements ErrorController {

    @RequestMapping(produces = MediaType.TEXT_HTML_VALUE)
    ModelAndView page(HttpServletRequest request) {
        HttpStatus status = status(request);
        return new ModelAndView("error", Map.of("status", status.value()), status);
    }

    @RequestMapping
    void problem(HttpServletRequest request) {
        HttpStatus status = status(request);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail(status));
        Object path = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        if (path instanceof String uri) {
            try {
                problem.setInstance(URI.create(uri));
            }
            catch (IllegalArgumentException notAUri) {
                // The path that was refused is not even a URI: the problem goes without an instance.
            }
        }
        throw new ErrorResponseException(status, problem, null);
    }

    private static HttpStatus status(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer value ? HttpStatus.resolve(value) : null;
        return status == null ? HttpStatus.INTERNAL_SERVER_ERROR : status;
    }

    static String detail(HttpStatus status) {
        return switch (status) {
            case BAD_REQUEST -> "The request was refused before it reached the API: its path or headers are not "
                    + "allowed (for example '..', ';' or an encoded '/' in the path, or headers that are too large).";
            case METHOD_NOT_ALLOWED -> "This method is not allowed here.";
            case INTERNAL_SERVER_ERROR -> "The gateway failed unexpectedly; its log has the details.";
            default -> status.getReasonPhrase() + ".";
        };
    }
}
