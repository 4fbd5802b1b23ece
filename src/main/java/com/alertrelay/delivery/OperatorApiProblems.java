package com.alertrelay.delivery;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;

import com.alertrelay.http.ProblemHandler;

/**
 * The problems of the operator API ({@code /api/notifications}, {@code /api/deliveries}): what every endpoint
 * answers alike ({@link ProblemHandler}), and a store that does not answer as a 503 saying what could not be read
 * (or, for a retry, changed) — not the webhook's "could not be stored".
 */
@RestControllerAdvice(assignableTypes = DeliveryController.class)
@Order(0)
class OperatorApiProblems extends ProblemHandler {

    private static final Logger log = LoggerFactory.getLogger(OperatorApiProblems.class);

    /** A statement that failed, or (reads run in a transaction) no connection to begin one on. */
    @ExceptionHandler({DataAccessException.class, CannotCreateTransactionException.class})
    ResponseEntity<Object> storeUnavailable(Exception ex, WebRequest request) {
        log.error("The operator API could not use the store ({})", path(request), ex);
        boolean reading = request instanceof ServletWebRequest servlet
                && HttpMethod.GET.matches(servlet.getRequest().getMethod());
        return storeUnavailable(reading
                ? "The notifications and deliveries could not be read from the store; retry later"
                : "The delivery could not be put back for an attempt: the store did not answer; retry later", request);
    }
}
