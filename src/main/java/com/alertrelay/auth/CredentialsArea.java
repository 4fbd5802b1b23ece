package com.alertrelay.auth;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.authentication.AuthenticationEntryPointFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.util.StringUtils;

import com.alertrelay.http.Problems;
import com.alertrelay.webhook.WebhookProperties;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * A part of the relay that needs credentials — the webhook (what Alertmanager's {@code http_config} sends, Bearer
 * and/or Basic) or the operator API (the admin token, else the webhook's credentials) — as Spring Security pieces:
 * an {@link AuthenticationFilter} that reads the {@code Authorization} header and grants {@link #authority()} when
 * it matches (compared in constant time, {@link Credentials}), and the 401 answer (RFC 9457 problem+json with the
 * area's {@code WWW-Authenticate} challenges) for a missing or wrong header. An area without credentials is open.
 */
final class CredentialsArea {

    private static final Logger log = LoggerFactory.getLogger(CredentialsArea.class);
    /** Makes a browser ask for a user name and password. */
    static final String BASIC_CHALLENGE = "Basic realm=\"alert-relay\", charset=\"UTF-8\"";

    private final String name;
    private final String authority;
    private final RequestMatcher paths;
    private final List<Credentials> accepted;
    private final List<String> challenges;
    private final JsonMapper json;
    /** Called for every 401 (the webhook counts its rejections). */
    private final Consumer<HttpServletRequest> rejected;

    private CredentialsArea(String name, String authority, RequestMatcher paths, List<Credentials> accepted,
            List<String> challenges, JsonMapper json, Consumer<HttpServletRequest> rejected) {
        this.name = name;
        this.authority = authority;
        this.paths = paths;
        this.accepted = List.copyOf(accepted);
        this.challenges = List.copyOf(challenges);
        this.json = json;
        this.rejected = rejected;
    }

    static CredentialsArea webhook(WebhookProperties webhook, RequestMatcher paths, JsonMapper json,
            Consumer<HttpServletRequest> rejected) {
        CredentialsArea area = fromWebhookCredentials("webhook", "WEBHOOK", paths, webhook, json, rejected);
        if (area.isOpen()) {
            log.warn("The webhook is OPEN: anyone who can reach /webhook can post alerts and read /api. Set "
                    + "RELAY_WEBHOOK_BEARER_TOKEN, or RELAY_WEBHOOK_USERNAME and RELAY_WEBHOOK_PASSWORD");
        }
        return area;
    }

    static CredentialsArea operatorApi(AdminProperties admin, WebhookProperties webhook, RequestMatcher paths,
            JsonMapper json) {
        if (StringUtils.hasText(admin.token())) {
            return new CredentialsArea("operator API", "OPERATOR", paths, List.of(Credentials.bearer(admin.token())),
                    List.of("Bearer realm=\"alert-relay-admin\""), json, request -> { });
        }
        CredentialsArea area = fromWebhookCredentials("operator API", "OPERATOR", paths, webhook, json, request -> { });
        if (area.isOpen()) {
            log.warn("The operator API /api/** is OPEN: anyone who can reach this service can read the alert "
                    + "history, retry deliveries and, with the order service, make orders fail (PUT /api/chaos). "
                    + "Set RELAY_ADMIN_TOKEN (or the webhook credentials)");
        }
        return area;
    }

    private static CredentialsArea fromWebhookCredentials(String name, String authority, RequestMatcher paths,
            WebhookProperties webhook, JsonMapper json, Consumer<HttpServletRequest> rejected) {
        List<Credentials> accepted = new ArrayList<>();
        List<String> challenges = new ArrayList<>();
        if (webhook.hasBearerToken()) {
            accepted.add(Credentials.bearer(webhook.bearerToken()));
            challenges.add("Bearer realm=\"alert-relay\"");
        }
        if (webhook.hasBasicCredentials()) {
            accepted.add(Credentials.basic(webhook.username(), webhook.password()));
            challenges.add(BASIC_CHALLENGE);
        }
        return new CredentialsArea(name, authority, paths, accepted, challenges, json, rejected);
    }

    boolean isOpen() {
        return accepted.isEmpty();
    }

    String authority() {
        return authority;
    }

    RequestMatcher paths() {
        return paths;
    }

    /** Authenticates requests to this area that carry an {@code Authorization} header; the others stay anonymous. */
    AuthenticationFilter filter() {
        AuthenticationFilter filter = new AuthenticationFilter(new ProviderManager(new Provider()), request -> {
            String header = request.getHeader(HttpHeaders.AUTHORIZATION);
            return header == null ? null : new Header(header);
        });
        filter.setRequestMatcher(paths);
        filter.setSuccessHandler((request, response, authentication) -> { });
        filter.setFailureHandler(new AuthenticationEntryPointFailureHandler(entryPoint()));
        return filter;
    }

    /** The 401: "Missing credentials …" without a header, "Wrong credentials …" with one that does not match. */
    AuthenticationEntryPoint entryPoint() {
        return (request, response, exception) -> unauthorized(request, response,
                request.getHeader(HttpHeaders.AUTHORIZATION) == null
                        ? "Missing credentials for the " + name + ": send an Authorization header"
                        : "Wrong credentials for the " + name);
    }

    private void unauthorized(HttpServletRequest request, HttpServletResponse response, String detail) throws IOException {
        rejected.accept(request);
        ProblemDetail problem = Problems.problem(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized", detail,
                request.getRequestURI());
        response.setStatus(HttpStatus.UNAUTHORIZED.value());
        challenges.forEach(challenge -> response.addHeader(HttpHeaders.WWW_AUTHENTICATE, challenge));
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(json.writeValueAsBytes(problem));
    }

    /** An {@code Authorization} header, not yet checked. */
    private static final class Header extends AbstractAuthenticationToken {

        private final transient String value;

        Header(String value) {
            super(AuthorityUtils.NO_AUTHORITIES);
            this.value = value;
        }

        @Override
        public Object getCredentials() {
            return value;
        }

        @Override
        public Object getPrincipal() {
            return "";
        }

        @Override
        public String toString() {
            return "Authorization header (not shown)";
        }
    }

    /** Grants the area's authority to a header that matches one of its credentials. */
    private final class Provider implements org.springframework.security.authentication.AuthenticationProvider {

        @Override
        public Authentication authenticate(Authentication authentication) throws AuthenticationException {
            String header = (String) authentication.getCredentials();
            if (accepted.stream().noneMatch(credentials -> credentials.matches(header))) {
                throw new BadCredentialsException("Wrong credentials for the " + name);
            }
            Authenticated granted = new Authenticated(name, AuthorityUtils.createAuthorityList(authority));
            return granted;
        }

        @Override
        public boolean supports(Class<?> type) {
            return Header.class.isAssignableFrom(type);
        }
    }

    /** A caller whose credentials matched: who it is to the relay is the area, nothing secret is kept. */
    private static final class Authenticated extends AbstractAuthenticationToken {

        private final String area;

        Authenticated(String area, java.util.Collection<? extends org.springframework.security.core.GrantedAuthority> authorities) {
            super(authorities);
            this.area = area;
            setAuthenticated(true);
        }

        @Override
        public Object getCredentials() {
            return "";
        }

        @Override
        public Object getPrincipal() {
            return area;
        }
    }
}
