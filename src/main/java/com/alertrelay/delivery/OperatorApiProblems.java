package com.alertrelay.delivery;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;

import com.alertrelay.http.Problems;

/**
 * The operator API's own answer when the store fails: it reads and changes deliveries, it stores no notification,
 * so it says that. Scoped to its controller and ahead of the relay's general handler; the rest of the operator
 * API's problems (bad parameters, body limits) stay the shared ones of {@link Problems}.
 */
@RestControllerAdvice(assignableTypes = DeliveryController.class)
@Order(-1)
class OperatorApiProblems {

    private static final Logger log = LoggerFactory.getLogger(OperatorApiProblems.class);

    @ExceptionHandler(DataAccessException.class)
    ResponseEntity<ProblemDetail> storeUnavailable(DataAccessException ex, WebRequest request) {
        log.error("Operator API: the store cannot be read", ex);
        String path = request instanceof ServletWebRequest servlet ? servlet.getRequest().getRequestURI() : "";
        ProblemDetail problem = Problems.problem(HttpStatus.SERVICE_UNAVAILABLE, "store-unavailable", "Store unavailable",
                "The relay's store could not be read or changed right now; nothing was changed, retry later", path);
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "5").body(problem);
    }
}
