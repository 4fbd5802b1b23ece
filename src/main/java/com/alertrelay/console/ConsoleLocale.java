package com.alertrelay.console;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.i18n.CookieLocaleResolver;
import org.springframework.web.servlet.i18n.LocaleChangeInterceptor;

/**
 * The console speaks English and Korean: the browser's Accept-Language picks one until the operator switches
 * ({@code ?lang=ko}, {@code ?lang=en}), which a cookie remembers. Anything else falls back to English.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleLocale implements WebMvcConfigurer {

    static final List<Locale> SUPPORTED = List.of(Locale.ENGLISH, Locale.KOREAN);

    @Bean
    LocaleResolver localeResolver() {
        CookieLocaleResolver resolver = new CookieLocaleResolver("relay-console-lang");
        resolver.setCookieMaxAge(Duration.ofDays(365));
        resolver.setDefaultLocaleFunction(request -> {
            for (java.util.Enumeration<Locale> wanted = request.getLocales(); wanted.hasMoreElements(); ) {
                Locale locale = wanted.nextElement();
                for (Locale supported : SUPPORTED) {
                    if (supported.getLanguage().equals(locale.getLanguage())) {
                        return supported;
                    }
                }
            }
            return Locale.ENGLISH;
        });
        return resolver;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        LocaleChangeInterceptor change = new LocaleChangeInterceptor();
        change.setParamName("lang");
        change.setIgnoreInvalidLocale(true);
        registry.addInterceptor(change).addPathPatterns("/console", "/console/**", "/login");
    }
}
