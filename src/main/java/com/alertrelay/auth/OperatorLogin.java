package com.alertrelay.auth;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.AuthorityUtils;

/** The console's login: the operator credentials ({@link OperatorCredentials}), compared in constant time. */
final class OperatorLogin implements AuthenticationProvider {

    static final String OPERATOR = "OPERATOR";

    private final OperatorCredentials operators;

    OperatorLogin(OperatorCredentials operators) {
        this.operators = operators;
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        String username = authentication.getName() == null ? "" : authentication.getName();
        Object password = authentication.getCredentials();
        if (password == null || !operators.acceptsLogin(username, password.toString())) {
            throw new BadCredentialsException("Wrong user name or password");
        }
        // the session keeps who signed in, never the password
        return UsernamePasswordAuthenticationToken.authenticated(username.isBlank() ? "operator" : username, null,
                AuthorityUtils.createAuthorityList(OPERATOR));
    }

    @Override
    public boolean supports(Class<?> type) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(type);
    }
}
