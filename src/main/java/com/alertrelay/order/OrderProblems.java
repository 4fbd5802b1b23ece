package com.alertrelay.order;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.beans.TypeMismatchException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import com.alertrelay.http.BodyTooLargeException;
import com.alertrelay.http.Problems;
import com.alertrelay.http.UnauthorizedException;

import tools.jackson.core.JacksonException;

/**
 * RFC 9457 {@code application/problem+json} for the order service's own endpoints, ahead of the relay's
 * global handler (which titles everything "webhook payload" and counts webhook rejections) and present when
 * the relay role is off. Validation errors list each field as {@code errors: [{field, message}]}; a bad path
 * parameter ({@code /orders/abc}) is a 400 listing it as {@code errors: [{parameter, message}]}, and a body over
 * {@code relay.http.max-body-size} a 413.
 */
@RestControllerAdvice(assignableTypes = {OrderController.class, ChaosController.class})
@Order(Ordered.HIGHEST_PRECEDENCE)
class OrderProblems extends ResponseEntityExceptionHandler {

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = ex.getBindingResult().getFieldErrors().stream()
                .sorted(Comparator.comparing(FieldError::getField))
                .map(e -> Map.of("field", e.getField(), "message", String.valueOf(e.getDefaultMessage())))
                .toList();
        return invalid(request, errors);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        BodyTooLargeException tooLarge = cause(ex, BodyTooLargeException.class);
        if (tooLarge != null) {
            return tooLarge(tooLarge, request);
        }
        JacksonException jackson = cause(ex, JacksonException.class);
        String field = jackson == null ? "" : jackson.getPath().stream()
                .map(r -> r.getPropertyName() != null ? r.getPropertyName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        String detail = jackson == null ? "Request body is missing or not JSON"
                : field.isEmpty() ? "Malformed JSON: " + jackson.getOriginalMessage()
                : field + ": wrong JSON type or value";
        return problem(request, HttpStatus.BAD_REQUEST, "malformed", "Malformed request body", detail,
                field.isEmpty() ? Map.of() : Map.of("field", field));
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        return ResponseEntity.badRequest().body(Problems.typeMismatch(ex, path(request)));
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (ex.isForReturnValue()) {
            return super.handleHandlerMethodValidationException(ex, headers, status, request);
        }
        return ResponseEntity.badRequest().body(Problems.parameterValidation(ex, path(request)));
    }

    /** A body over {@code relay.http.max-body-size} (see {@link com.alertrelay.http.BodyLimitFilter}). */
    @ExceptionHandler(BodyTooLargeException.class)
    ResponseEntity<Object> tooLarge(BodyTooLargeException ex, WebRequest request) {
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(Problems.tooLarge(ex, path(request)));
    }

    @ExceptionHandler(InvalidChaosException.class)
    ResponseEntity<Object> invalidChaos(InvalidChaosException ex, WebRequest request) {
        return invalid(request, ex.errors());
    }

    @ExceptionHandler(OrderNotFoundException.class)
    ResponseEntity<Object> notFound(OrderNotFoundException ex, WebRequest request) {
        return problem(request, HttpStatus.NOT_FOUND, "order-not-found", "Order not found", ex.getMessage(), Map.of());
    }

    @ExceptionHandler(InjectedFailureException.class)
    ResponseEntity<Object> injected(InjectedFailureException ex, WebRequest request) {
        return problem(request, HttpStatus.INTERNAL_SERVER_ERROR, "injected-failure", "Injected failure",
                ex.getMessage(), Map.of());
    }

    @ExceptionHandler(UnauthorizedException.class)
    ResponseEntity<Object> unauthorized(UnauthorizedException ex, WebRequest request) {
        ResponseEntity<Object> response = problem(request, HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized",
                ex.getMessage(), Map.of());
        return ResponseEntity.status(response.getStatusCode())
                .header(HttpHeaders.WWW_AUTHENTICATE, ex.challenges().toArray(String[]::new))
                .body(response.getBody());
    }

    private ResponseEntity<Object> invalid(WebRequest request, List<Map<String, String>> errors) {
        String detail = errors.stream().map(e -> e.get("field") + ": " + e.get("message"))
                .collect(Collectors.joining("; "));
        return problem(request, HttpStatus.BAD_REQUEST, "invalid", "Invalid request", detail,
                Map.of("errors", errors));
    }

    private static ResponseEntity<Object> problem(WebRequest request, HttpStatus status, String type, String title,
            String detail, Map<String, Object> properties) {
        ProblemDetail problem = Problems.problem(status, type, title, detail, path(request));
        properties.forEach(problem::setProperty);
        return ResponseEntity.status(status).body(problem);
    }

    private static String path(WebRequest request) {
        return request instanceof ServletWebRequest servlet ? servlet.getRequest().getRequestURI() : "";
    }

    private static <T extends Throwable> T cause(Throwable ex, Class<T> type) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
