package com.alertrelay.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;

/**
 * The problems of every controller without a handler of its own (reconciliation, the notifiers' pages), and of
 * requests no controller took (an unknown path, a method not allowed, missing credentials on an unmapped
 * {@code /api} path). Last in line: the handlers scoped to their controllers (the webhook's, the operator API's,
 * the order service's) answer first. Present in every role.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
class CommonProblems extends ProblemHandler {

    private static final Logger log = LoggerFactory.getLogger(CommonProblems.class);

    @ExceptionHandler(DataAccessException.class)
    ResponseEntity<Object> storeUnavailable(DataAccessException ex, WebRequest request) {
        log.error("The store did not answer {}", path(request), ex);
        return storeUnavailable("The store did not answer; retry later", request);
    }
}
