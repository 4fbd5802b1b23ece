package com.alertrelay.auth;

import java.util.List;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;

import com.alertrelay.webhook.WebhookProperties;

import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

/**
 * Which paths need which credentials, with Spring Security: {@code /webhook/**} the webhook's, {@code /api/**} the
 * operator API's; everything else (actuator's health, info and prometheus, Telegram's webhook with its own secret,
 * Kakao's pages with theirs) stays open here. Both areas take an {@code Authorization} header on every request — no
 * session, no cookie — so CSRF protection has nothing to protect (it comes with the console's login session).
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
@EnableConfigurationProperties({WebhookProperties.class, AdminProperties.class})
public class RelaySecurity {

    /**
     * The operator console ({@code /console}, {@code /} redirects there): a login page, a session, logout, and CSRF
     * protection on every state-changing request. The password is the operator API's ({@code RELAY_ADMIN_TOKEN}, any
     * user name; else the webhook's credentials); with no credentials configured the relay listens on loopback only
     * and the console is open, as the API is. Pages load nothing from elsewhere and run no inline script (CSP).
     */
    @Bean
    @Order(1)
    public SecurityFilterChain consoleFilterChain(HttpSecurity http, WebhookProperties webhook, AdminProperties admin)
            throws Exception {
        OperatorCredentials operators = new OperatorCredentials(admin, webhook);
        http.securityMatcher("/", "/console", "/console/**", "/login", "/logout")
                .authenticationManager(new ProviderManager(new OperatorLogin(operators)))
                .authorizeHttpRequests(requests -> {
                    requests.requestMatchers("/", "/login", "/console/console.css", "/console/console.js").permitAll();
                    if (operators.loopbackOnly()) {
                        requests.anyRequest().permitAll();
                    } else {
                        requests.anyRequest().hasAuthority(OperatorLogin.OPERATOR);
                    }
                })
                .formLogin(form -> form.loginPage("/login").defaultSuccessUrl("/console", true).permitAll())
                .logout(logout -> logout.logoutUrl("/logout").logoutSuccessUrl("/login?logout"))
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(
                        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                + "frame-ancestors 'none'; form-action 'self'")));
        return http.build();
    }

    @Bean
    @Order(2)
    public SecurityFilterChain relayFilterChain(HttpSecurity http, WebhookProperties webhook, AdminProperties admin, JsonMapper json,
            MeterRegistry metrics) throws Exception {
        CredentialsArea webhookArea = CredentialsArea.webhook(webhook, new OrRequestMatcher(
                PathPatternRequestMatcher.pathPattern("/webhook"), PathPatternRequestMatcher.pathPattern("/webhook/**")),
                json, request -> metrics.counter("relay.webhook.rejected", "reason", "unauthorized").increment());
        CredentialsArea apiArea = CredentialsArea.operatorApi(admin, webhook,
                PathPatternRequestMatcher.pathPattern("/api/**"), json);
        List<CredentialsArea> areas = List.of(webhookArea, apiArea);
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable());
        for (CredentialsArea area : areas) {
            if (!area.isOpen()) {
                http.addFilterBefore(area.filter(), AuthorizationFilter.class);
            }
        }
        http.authorizeHttpRequests(requests -> {
            for (CredentialsArea area : areas) {
                if (area.isOpen()) {
                    requests.requestMatchers(area.paths()).permitAll();
                } else {
                    requests.requestMatchers(area.paths()).hasAuthority(area.authority());
                }
            }
            requests.anyRequest().permitAll();
        });
        http.exceptionHandling(exceptions -> areas.forEach(area ->
                exceptions.defaultAuthenticationEntryPointFor(area.entryPoint(), area.paths())));
        return http.build();
    }
}
