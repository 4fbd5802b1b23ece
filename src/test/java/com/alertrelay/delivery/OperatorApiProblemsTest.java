package com.alertrelay.delivery;

import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** A store failure on the operator API is answered as a failed read, not as the webhook's "could not be stored". */
@WebMvcTest(controllers = DeliveryController.class, properties = "relay.admin.token=admin-token")
@Import(OperatorApiProblemsTest.Metrics.class)
class OperatorApiProblemsTest {

    @TestConfiguration
    static class Metrics {
        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @Autowired
    MockMvc mvc;

    @MockitoBean
    DeliveryHistory history;

    @MockitoBean
    DeliveryWorkers workers;

    @Test
    void aStoreThatCannotBeReadIsA503AboutReadingWithRetryAfter() throws Exception {
        when(history.recentNotifications(anyInt())).thenThrow(new DataAccessResourceFailureException("disk gone"));

        mvc.perform(get("/api/notifications").header("Authorization", "Bearer admin-token"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().string("Retry-After", "5"))
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value(
                        "The relay's store could not be read or changed right now; nothing was changed, retry later"));
    }
}
