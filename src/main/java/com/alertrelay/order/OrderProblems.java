package com.alertrelay.order;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;

import com.alertrelay.http.ProblemHandler;

import tools.jackson.core.JacksonException;

/**
 * RFC 9457 {@code application/problem+json} for the order service's own endpoints, present when the relay role is
 * off. Validation errors list each field as {@code errors: [{field, message}]}; a bad path parameter
 * ({@code /orders/abc}) is a 400 listing it as {@code errors: [{parameter, message}]}, a body over
 * {@code relay.http.max-body-size} a 413, missing credentials a 401 ({@link ProblemHandler}).
 */
@RestControllerAdvice(assignableTypes = {OrderController.class, ChaosController.class})
@Order(Ordered.HIGHEST_PRECEDENCE)
class OrderProblems extends ProblemHandler {

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return invalid(request, fieldErrors(ex));
    }

    @Override
    protected ResponseEntity<Object> unreadable(HttpMessageNotReadableException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        JacksonException jackson = cause(ex, JacksonException.class);
        String field = jackson == null ? "" : jackson.getPath().stream()
                .map(r -> r.getPropertyName() != null ? r.getPropertyName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        String detail = jackson == null ? "Request body is missing or not JSON"
                : field.isEmpty() ? "Malformed JSON: " + jackson.getOriginalMessage()
                : field + ": wrong JSON type or value";
        return answer("malformed", HttpStatus.BAD_REQUEST, "Malformed request body", detail,
                field.isEmpty() ? Map.of() : Map.of("field", field), request);
    }

    @ExceptionHandler(InvalidChaosException.class)
    ResponseEntity<Object> invalidChaos(InvalidChaosException ex, WebRequest request) {
        return invalid(request, ex.errors());
    }

    @ExceptionHandler(OrderNotFoundException.class)
    ResponseEntity<Object> notFound(OrderNotFoundException ex, WebRequest request) {
        return answer("order-not-found", HttpStatus.NOT_FOUND, "Order not found", ex.getMessage(), Map.of(), request);
    }

    @ExceptionHandler(InjectedFailureException.class)
    ResponseEntity<Object> injected(InjectedFailureException ex, WebRequest request) {
        return answer("injected-failure", HttpStatus.INTERNAL_SERVER_ERROR, "Injected failure", ex.getMessage(),
                Map.of(), request);
    }

    private ResponseEntity<Object> invalid(WebRequest request, List<Map<String, String>> errors) {
        return answer("invalid", HttpStatus.BAD_REQUEST, "Invalid request", joined(errors), Map.of("errors", errors),
                request);
    }
}
