package org.selfhostedgateway.web;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The one place that turns failures into RFC 9457 problem details. Feature exceptions carry their own status and
 * detail ({@link org.springframework.web.ErrorResponseException}); Spring MVC's own (405, 415, 404 ...) come
 * through the base class; only validation, unreadable bodies and the unexpected are shaped here.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);
    private static final Pattern DUPLICATE_KEY = Pattern.compile("Duplicate (?:Object property|field) \"([^\"]*)\"");

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = ex.getBindingResult().getFieldErrors().stream()
                .sorted(Comparator.comparing(FieldError::getField))
                .map(error -> Map.of("field", error.getField(), "message", String.valueOf(error.getDefaultMessage())))
                .toList();
        return fieldProblems(ex, "Invalid request", errors, headers, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (cause instanceof RequestBodies.BodyTooLargeException tooLarge) {
                ErrorResponseException problem = RequestBodies.tooLarge(tooLarge.limit());
                return handleExceptionInternal(ex, problem.getBody(), headers, problem.getStatusCode(), request);
            }
            if (cause instanceof UnrecognizedPropertyException unknown) {
                return fieldProblem(ex, "Unknown field", unknown.getPropertyName(), "is not a field of this "
                        + "request; the fields are " + String.join(", ", unknown.getKnownPropertyIds().stream()
                        .map(String::valueOf).sorted().toList()), headers, request);
            }
            Matcher duplicate = cause instanceof StreamReadException && cause.getMessage() != null
                    ? DUPLICATE_KEY.matcher(cause.getMessage()) : null;
            if (duplicate != null && duplicate.find()) {
                return fieldProblem(ex, "Duplicate field", duplicate.group(1), "is given more than once",
                        headers, request);
            }
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "The request body is not valid JSON of the expected shape, for example "
                        + "{\"fqdn\": \"app.example.com\", \"expose\": \"app:80\"}");
        problem.setTitle("Malformed request body");
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    private ResponseEntity<Object> fieldProblem(Exception ex, String title, String field, String message,
            HttpHeaders headers, WebRequest request) {
        return fieldProblems(ex, title, List.of(Map.of("field", field, "message", message)), headers, request);
    }

    /** A 400 that names each refused field (or parameter) and why, in {@code errors} and in the detail. */
    private ResponseEntity<Object> fieldProblems(Exception ex, String title, List<Map<String, String>> errors,
            HttpHeaders headers, WebRequest request) {
        String detail = String.join("; ", errors.stream().map(e -> e.get("field") + " " + e.get("message")).toList());
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setTitle(title);
        problem.setProperty("errors", errors);
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String expected = String.join(" or ", ex.getSupportedMediaTypes().stream().map(MediaType::toString).toList());
        String given = ex.getContentType() == null ? "The request has no Content-Type"
                : "Content-Type " + ex.getContentType() + " is not supported";
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, given + "; send the body as " + expected
                + " (header 'Content-Type: " + expected + "').");
        problem.setTitle("Unsupported Media Type");
        return handleExceptionInternal(ex, problem, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = ex.getParameterValidationResults().stream()
                .flatMap(result -> result.getResolvableErrors().stream().map(error -> Map.of(
                        "field", String.valueOf(result.getMethodParameter().getParameterName()),
                        "message", String.valueOf(error.getDefaultMessage()))))
                .sorted(Comparator.comparing((Map<String, String> e) -> e.get("field")))
                .toList();
        return fieldProblems(ex, "Invalid request", errors, headers, request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> handleUnexpected(Exception ex, WebRequest request) {
        log.error("Unexpected failure", ex);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "The gateway failed unexpectedly; its log has the details.");
        problem.setTitle("Internal error");
        return handleExceptionInternal(ex, problem, new HttpHeaders(), HttpStatus.INTERNAL_SERVER_ERROR, request);
    }
}
