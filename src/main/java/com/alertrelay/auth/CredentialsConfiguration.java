package com.alertrelay.auth;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import com.alertrelay.webhook.WebhookProperties;

/** Which paths need which credentials. Actuator (health, info, prometheus) stays open. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({WebhookProperties.class, AdminProperties.class})
class CredentialsConfiguration implements WebMvcConfigurer {

    private final WebhookProperties webhook;
    private final AdminProperties admin;

    CredentialsConfiguration(WebhookProperties webhook, AdminProperties admin) {
        this.webhook = webhook;
        this.admin = admin;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(CredentialsInterceptor.forWebhook(webhook)).addPathPatterns("/webhook", "/webhook/**");
        registry.addInterceptor(CredentialsInterceptor.forAdmin(admin, webhook)).addPathPatterns("/api/**");
    }
}
