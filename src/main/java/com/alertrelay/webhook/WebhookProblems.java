package com.alertrelay.webhook;

import java.util.List;
import java.util.Map;

import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.alertrelay.http.ProblemHandler;

import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.core.JacksonException;

/**
 * Every answer of the webhook other than 200, as RFC 9457 {@code application/problem+json}. Alertmanager retries
 * only 5xx and transport errors, so the status decides whether an alert is retried or dropped: a payload that can
 * never be accepted gets 4xx, a store that cannot take it right now gets 503 (never 429, which Alertmanager
 * drops). Every rejection is counted in {@code relay_webhook_rejected_total{reason}}. Only the webhook's: the
 * operator API and the order service have handlers of their own, and {@link ProblemHandler} what they share.
 */
@RestControllerAdvice(assignableTypes = WebhookController.class)
@Order(0)
class WebhookProblems extends ProblemHandler {

    private static final Logger log = LoggerFactory.getLogger(WebhookProblems.class);

    private final MeterRegistry metrics;

    WebhookProblems(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    @Override
    protected ResponseEntity<Object> unreadable(HttpMessageNotReadableException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        JacksonException jackson = cause(ex, JacksonException.class);
        String detail = jackson == null
                ? "Request body is missing or unreadable: expected an Alertmanager webhook payload (JSON)"
                : PayloadErrors.detail(jackson);
        String field = jackson == null ? null : PayloadErrors.field(jackson);
        return answer("malformed", HttpStatus.BAD_REQUEST, "Malformed webhook payload", detail,
                field == null ? Map.of() : Map.of("field", field), request);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = fieldErrors(ex);
        return answer("invalid", HttpStatus.BAD_REQUEST, "Invalid webhook payload", joined(errors),
                Map.of("errors", errors), request);
    }

    /** The request's own Content-Type: Spring reports a missing one as application/octet-stream. */
    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
        return answer("unsupported_media_type", HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type",
                "Content-Type must be application/json, was " + (contentType == null ? "missing" : contentType),
                Map.of(), request);
    }

    @ExceptionHandler(UnknownRouteException.class)
    ResponseEntity<Object> unknownRoute(UnknownRouteException ex, WebRequest request) {
        return answer("unknown_route", HttpStatus.NOT_FOUND, "Unknown route", ex.getMessage(), Map.of(), request);
    }

    @ExceptionHandler(DataAccessException.class)
    ResponseEntity<Object> storeUnavailable(DataAccessException ex, WebRequest request) {
        // Not the caller's fault and worth retrying: Alertmanager retries 5xx, so nothing is lost.
        log.error("Store cannot take the notification", ex);
        return storeUnavailable("The notification could not be stored; retry later", request);
    }

    /** Counts the rejected webhook request under {@code reason}. */
    @Override
    protected ResponseEntity<Object> answer(String reason, ResponseEntity<Object> response) {
        metrics.counter("relay.webhook.rejected", "reason", reason).increment();
        return response;
    }
}
