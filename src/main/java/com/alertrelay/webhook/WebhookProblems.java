package com.alertrelay.webhook;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.beans.TypeMismatchException;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.alertrelay.http.BodyTooLargeException;
import com.alertrelay.http.UnauthorizedException;
import com.alertrelay.http.Problems;

import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * Every answer other than 200, as RFC 9457 {@code application/problem+json}. Alertmanager retries only 5xx
 * and transport errors, so the status decides whether an alert is retried or dropped: a payload that can
 * never be accepted gets 4xx, a store that cannot take it right now gets 503 (never 429, which Alertmanager
 * drops). Every rejection of a webhook request is counted in {@code relay_webhook_rejected_total{reason}}.
 *
 * <p>Also the operator API's general handler (a query parameter that is not valid, a body over
 * {@code relay.http.max-body-size}, a refused retry), with the problems of {@link Problems}; a store failure there
 * is answered by the operator API's own {@code OperatorApiProblems}, which says it could not be read.
 */
@RestControllerAdvice
@Order(0)
class WebhookProblems extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(WebhookProblems.class);

    private final MeterRegistry metrics;

    WebhookProblems(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        BodyTooLargeException tooLarge = cause(ex, BodyTooLargeException.class);
        if (tooLarge != null) {
            return tooLarge(tooLarge, request);
        }
        JacksonException jackson = cause(ex, JacksonException.class);
        String detail;
        String field = null;
        if (jackson instanceof StreamReadException && !(jackson instanceof MismatchedInputException)) {
            detail = "Malformed JSON" + location(jackson) + ": " + jackson.getOriginalMessage();
        } else if (jackson != null && !jackson.getPath().isEmpty()) {
            field = path(jackson.getPath());
            detail = field + ": " + describe(jackson);
        } else if (jackson != null) {
            detail = "Malformed JSON" + location(jackson) + ": " + jackson.getOriginalMessage();
        } else {
            detail = "Request body is missing or unreadable: expected an Alertmanager webhook payload (JSON)";
        }
        return problem(request, HttpStatus.BAD_REQUEST, "malformed", "Malformed webhook payload", detail,
                field == null ? Map.of() : Map.of("field", field));
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = ex.getBindingResult().getFieldErrors().stream()
                .sorted(Comparator.comparing(FieldError::getField))
                .map(e -> Map.of("field", e.getField(), "message", String.valueOf(e.getDefaultMessage())))
                .toList();
        String detail = errors.stream().map(e -> e.get("field") + ": " + e.get("message"))
                .collect(Collectors.joining("; "));
        return problem(request, HttpStatus.BAD_REQUEST, "invalid", "Invalid webhook payload", detail,
                Map.of("errors", errors));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return problem(request, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                "Unsupported media type", "Content-Type must be application/json, was "
                        + (ex.getContentType() == null ? "missing" : ex.getContentType()), Map.of());
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        return problem(request, "invalid", Problems.typeMismatch(ex, path(request)));
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (ex.isForReturnValue()) {
            return super.handleHandlerMethodValidationException(ex, headers, status, request);
        }
        return problem(request, "invalid", Problems.parameterValidation(ex, path(request)));
    }

    /** A body stream over its limit that reached a handler other than through a message converter. */
    @ExceptionHandler(BodyTooLargeException.class)
    ResponseEntity<Object> tooLarge(BodyTooLargeException ex, WebRequest request) {
        return problem(request, "too_large", Problems.tooLarge(ex, path(request)));
    }

    @ExceptionHandler(UnknownRouteException.class)
    ResponseEntity<Object> unknownRoute(UnknownRouteException ex, WebRequest request) {
        return problem(request, HttpStatus.NOT_FOUND, "unknown_route", "Unknown route", ex.getMessage(), Map.of());
    }

    @ExceptionHandler(UnauthorizedException.class)
    ResponseEntity<Object> unauthorized(UnauthorizedException ex, WebRequest request) {
        ResponseEntity<Object> response = problem(request, HttpStatus.UNAUTHORIZED, "unauthorized",
                "Unauthorized", ex.getMessage(), Map.of());
        return ResponseEntity.status(response.getStatusCode())
                .header(HttpHeaders.WWW_AUTHENTICATE, ex.challenges().toArray(String[]::new))
                .body(response.getBody());
    }

    @ExceptionHandler(DataAccessException.class)
    ResponseEntity<Object> storeUnavailable(DataAccessException ex, WebRequest request) {
        // Not the caller's fault and worth retrying: Alertmanager retries 5xx, so nothing is lost.
        log.error("Store cannot take the notification", ex);
        ResponseEntity<Object> response = problem(request, HttpStatus.SERVICE_UNAVAILABLE, "store_unavailable",
                "Store unavailable", "The notification could not be stored; retry later", Map.of());
        return ResponseEntity.status(response.getStatusCode()).header(HttpHeaders.RETRY_AFTER, "5")
                .body(response.getBody());
    }

    private ResponseEntity<Object> problem(WebRequest request, HttpStatus status, String reason, String title,
            String detail, Map<String, Object> properties) {
        ProblemDetail problem = Problems.problem(status, reason.replace('_', '-'), title, detail, path(request));
        properties.forEach(problem::setProperty);
        return problem(request, reason, problem);
    }

    /** Counts a rejected webhook request under {@code reason}; any other path is only answered. */
    private ResponseEntity<Object> problem(WebRequest request, String reason, ProblemDetail problem) {
        if (path(request).startsWith("/webhook")) {
            metrics.counter("relay.webhook.rejected", "reason", reason).increment();
        }
        return ResponseEntity.status(problem.getStatus()).body(problem);
    }

    private static String path(WebRequest request) {
        return request instanceof ServletWebRequest servlet ? servlet.getRequest().getRequestURI() : "";
    }

    private static String path(List<JacksonException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : references) {
            if (reference.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String describe(JacksonException ex) {
        if (ex instanceof InvalidFormatException invalid) {
            String value = String.valueOf(invalid.getValue());
            if (java.time.temporal.Temporal.class.isAssignableFrom(invalid.getTargetType())) {
                return "not an RFC 3339 timestamp: \"" + value + "\"";
            }
            return "invalid value \"" + value + "\" for " + invalid.getTargetType().getSimpleName();
        }
        if (ex instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return "wrong JSON type, expected " + jsonType(mismatch.getTargetType());
        }
        return ex.getOriginalMessage();
    }

    private static String jsonType(Class<?> type) {
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "an object";
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        return "a string";
    }

    private static String location(JacksonException ex) {
        return ex.getLocation() == null ? ""
                : " at line " + ex.getLocation().getLineNr() + ", column " + ex.getLocation().getColumnNr();
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
