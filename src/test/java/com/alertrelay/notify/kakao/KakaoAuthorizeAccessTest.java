package com.alertrelay.notify.kakao;

import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.MockMvc;

/**
 * With no credentials configured, connecting a KakaoTalk channel — which decides whose chat receives every alert —
 * is only possible from the relay's own machine: a request from another address is refused (403), one from
 * loopback is sent on to Kakao's consent page.
 */
@SpringBootTest(properties = {
        "server.address=0.0.0.0", // opened up explicitly, still without credentials
        "relay.channels.talk.type=kakao",
        "relay.channels.talk.rest-api-key=authorize-test-key",
        "relay.channels.talk.client-secret=authorize-test-secret",
        "relay.channels.talk.api-url=http://127.0.0.1:9",
        "relay.channels.talk.auth-url=http://127.0.0.1:9"})
@AutoConfigureMockMvc
class KakaoAuthorizeAccessTest {

    @Autowired
    MockMvc mvc;

    @Test
    void withoutCredentialsOnlyLoopbackMayConnectAChannel() throws Exception {
        mvc.perform(get("/kakao/talk/authorize").with(request -> {
            request.setRemoteAddr("203.0.113.7");
            return request;
        })).andExpect(status().isForbidden()).andExpect(content().string(containsString(
                "only be connected from the relay's own machine")));

        mvc.perform(get("/kakao/talk/authorize").with(request -> {
            request.setRemoteAddr("127.0.0.1");
            return request;
        })).andExpect(status().isFound());
    }
}
