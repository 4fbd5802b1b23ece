package com.alertrelay.delivery;

import static org.mockito.BDDMockito.given;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

import com.alertrelay.auth.RelaySecurity;
import com.alertrelay.testsupport.SimpleMetrics;

/**
 * A failing store on the operator API is answered by the operator API's own handler: a 503 about reading (or, for
 * a retry, changing) — never the webhook's "The notification could not be stored".
 */
@WebMvcTest(controllers = DeliveryController.class)
// the webhook's handler, also in this slice, counts its rejections; the retry goes through the real ManualRetry
@Import({SimpleMetrics.class, RelaySecurity.class, ManualRetry.class})
class OperatorApiProblemsTest {

    @Autowired
    MockMvc mvc;

    @MockitoBean
    DeliveryHistory history;

    @MockitoBean
    DeliveryWorkers workers;

    @MockitoBean
    org.springframework.jdbc.core.simple.JdbcClient jdbc; // ManualRetry's "retry all", not used here

    @Test
    void aStoreErrorWhileListingNotificationsSaysTheyCouldNotBeRead() throws Exception {
        given(history.recentNotifications(20)).willThrow(new DataAccessResourceFailureException("disk I/O error"));

        mvc.perform(get("/api/notifications"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(header().string("Retry-After", "5"))
                .andExpect(jsonPath("$.type").value("https://alert-relay.dev/problems/store-unavailable"))
                .andExpect(jsonPath("$.detail")
                        .value("The notifications and deliveries could not be read from the store; retry later"))
                .andExpect(jsonPath("$.instance").value("/api/notifications"));
    }

    @Test
    void aStoreErrorDuringARetrySaysTheDeliveryWasNotPutBack() throws Exception {
        given(history.delivery(7)).willReturn(Optional.of(new DeliveryView(7, 3, "log", "dead", 5, null, null, null,
                "502 Bad Gateway", null, null, null, null, null)));
        given(history.laterResolve(7)).willReturn(Optional.empty());
        given(history.retryNow(7)).willThrow(new DataAccessResourceFailureException("database is locked"));

        mvc.perform(post("/api/deliveries/7/retry"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(jsonPath("$.detail").value(
                        "The delivery could not be put back for an attempt: the store did not answer; retry later"));
    }
}
