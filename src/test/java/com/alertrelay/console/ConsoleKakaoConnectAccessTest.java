package com.alertrelay.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/**
 * With no credentials configured the console is open, but its Connect button — which decides whose KakaoTalk receives
 * every alert — works only from the relay's own machine, as {@code /kakao/<channel>/authorize} does: a browser
 * elsewhere (the relay opened up with server.address) is sent back to the overview with the reason.
 */
@SpringBootTest(properties = {
        "server.address=0.0.0.0", // opened up explicitly, still without credentials
        "relay.channels.talk.type=kakao",
        "relay.channels.talk.rest-api-key=connect-access-key",
        "relay.channels.talk.api-url=http://127.0.0.1:9",
        "relay.channels.talk.auth-url=http://127.0.0.1:9"})
@AutoConfigureMockMvc
class ConsoleKakaoConnectAccessTest {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    @Autowired
    MockMvc mvc;

    /** Posts the overview's Connect form of channel talk from {@code address}, with the page's session and token. */
    private MvcResult connectFrom(String address) throws Exception {
        MvcResult overview = mvc.perform(get("/console").with(remote(address))).andReturn();
        assertThat(overview.getResponse().getStatus()).isEqualTo(200);
        String page = overview.getResponse().getContentAsString();
        assertThat(page).contains("class=\"kakao-connect\"");
        Matcher csrf = CSRF.matcher(page);
        assertThat(csrf.find()).isTrue();
        MockHttpSession session = (MockHttpSession) overview.getRequest().getSession();
        return mvc.perform(post("/console/channels/talk/kakao/connect").session(session).param("_csrf", csrf.group(1))
                .with(remote(address))).andReturn();
    }

    private static org.springframework.test.web.servlet.request.RequestPostProcessor remote(String address) {
        return request -> {
            request.setRemoteAddr(address);
            return request;
        };
    }

    @Test
    void withoutCredentialsOnlyTheRelaysOwnMachineMayConnect() throws Exception {
        MvcResult elsewhere = connectFrom("203.0.113.7");
        assertThat(elsewhere.getResponse().getStatus()).isEqualTo(302);
        assertThat(elsewhere.getResponse().getRedirectedUrl()).isEqualTo("/console");
        assertThat(String.valueOf(elsewhere.getFlashMap().get("error"))).contains("only be connected from the relay's own machine");

        MvcResult local = connectFrom("127.0.0.1");
        assertThat(local.getResponse().getStatus()).isEqualTo(302);
        assertThat(local.getResponse().getRedirectedUrl()).startsWith("http://127.0.0.1:9/oauth/authorize?")
                .contains("client_id=connect-access-key", "&state=");
    }
}
