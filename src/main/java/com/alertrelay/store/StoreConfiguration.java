package com.alertrelay.store;

import javax.sql.DataSource;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class StoreConfiguration {

    @Bean
    StoreDialect storeDialect(@Value("${spring.datasource.url:}") String url) {
        return StoreDialect.of(url);
    }

    /** Picked up by the auto-configured JdbcTemplate (and so JdbcClient). */
    @Bean
    StoreExceptionTranslator storeExceptionTranslator(DataSource dataSource) {
        return new StoreExceptionTranslator(dataSource);
    }
}
