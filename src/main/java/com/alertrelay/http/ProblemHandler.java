package com.alertrelay.http;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * What every exception handler of the service answers alike, as RFC 9457 problems ({@link Problems}): Spring MVC's
 * own errors, a query or path parameter that is not valid, a body over its limit, missing or wrong credentials.
 * Each handler is scoped to its own controllers ({@code @RestControllerAdvice(assignableTypes = …)}) and adds what
 * only they answer; {@link CommonProblems} answers for every controller that has no handler of its own.
 */
public abstract class ProblemHandler extends ResponseEntityExceptionHandler {

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        BodyTooLargeException tooLarge = cause(ex, BodyTooLargeException.class);
        return tooLarge != null ? tooLarge(tooLarge, request) : unreadable(ex, headers, status, request);
    }

    /** A body that is not what the endpoint reads: Spring's own 400, unless a handler can say more. */
    protected ResponseEntity<Object> unreadable(HttpMessageNotReadableException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        return super.handleHttpMessageNotReadable(ex, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        return answer("invalid", Problems.typeMismatch(ex, path(request)));
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (ex.isForReturnValue()) {
            return super.handleHandlerMethodValidationException(ex, headers, status, request);
        }
        return answer("invalid", Problems.parameterValidation(ex, path(request)));
    }

    /** A body stream over its limit that reached a handler other than through a message converter. */
    @ExceptionHandler(BodyTooLargeException.class)
    public ResponseEntity<Object> tooLarge(BodyTooLargeException ex, WebRequest request) {
        return answer("too_large", Problems.tooLarge(ex, path(request)));
    }

    /**
     * 503 with {@code Retry-After}: the store did not answer, which is not the caller's fault and worth retrying;
     * {@code detail} says what could not be done.
     */
    protected ResponseEntity<Object> storeUnavailable(String detail, WebRequest request) {
        ProblemDetail problem = Problems.problem(HttpStatus.SERVICE_UNAVAILABLE, "store-unavailable",
                "Store unavailable", detail, path(request));
        return answer("store_unavailable", ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "5").body(problem));
    }

    /** Every answer of this handler but Spring's defaults passes here, with why ({@code invalid}, {@code too_large} …). */
    protected ResponseEntity<Object> answer(String reason, ResponseEntity<Object> response) {
        return response;
    }

    protected final ResponseEntity<Object> answer(String reason, ProblemDetail problem) {
        return answer(reason, ResponseEntity.status(problem.getStatus()).body(problem));
    }

    /** A problem of type {@code reason} (with {@code -} for {@code _}) and the given extra members. */
    protected final ResponseEntity<Object> answer(String reason, HttpStatus status, String title, String detail,
            Map<String, Object> properties, WebRequest request) {
        ProblemDetail problem = Problems.problem(status, reason.replace('_', '-'), title, detail, path(request));
        properties.forEach(problem::setProperty);
        return answer(reason, problem);
    }

    /** The fields of a request body that failed validation, by name: {@code [{field, message}]}. */
    protected static List<Map<String, String>> fieldErrors(MethodArgumentNotValidException ex) {
        return ex.getBindingResult().getFieldErrors().stream()
                .sorted(Comparator.comparing(FieldError::getField))
                .map(e -> Map.of("field", e.getField(), "message", String.valueOf(e.getDefaultMessage())))
                .toList();
    }

    /** {@code field: message; field: message}. */
    protected static String joined(List<Map<String, String>> fieldErrors) {
        return fieldErrors.stream().map(e -> e.get("field") + ": " + e.get("message")).collect(Collectors.joining("; "));
    }

    protected static String path(WebRequest request) {
        return request instanceof ServletWebRequest servlet ? servlet.getRequest().getRequestURI() : "";
    }

    protected static <T extends Throwable> T cause(Throwable ex, Class<T> type) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
