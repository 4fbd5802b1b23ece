package com.alertrelay.http;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.beans.TypeMismatchException;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.util.StringUtils;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * The RFC 9457 problems every part of the service answers the same way, whichever exception handler (the
 * relay's, the order service's, or {@link BodyLimitFilter} before any handler) produces them: a body over its
 * limit (413) and a query or path parameter that is not valid (400). Types are
 * {@code https://alert-relay.dev/problems/<type>}.
 */
public final class Problems {

    public static final String TYPE_BASE = "https://alert-relay.dev/problems/";

    /** Values echoed in a detail are cut to this many characters. */
    static final int MAX_ECHO = 100;

    private Problems() {
    }

    public static ProblemDetail problem(HttpStatus status, String type, String title, String detail, String path) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        problem.setType(URI.create(TYPE_BASE + type));
        if (StringUtils.hasLength(path)) {
            problem.setInstance(URI.create(path));
        }
        return problem;
    }

    /** 413 naming the limit and the property that sets it; also as {@code maxBodySize} (bytes) and {@code property}. */
    public static ProblemDetail tooLarge(BodyTooLargeException ex, String path) {
        ProblemDetail problem = problem(HttpStatus.CONTENT_TOO_LARGE, "too-large", "Payload too large", ex.getMessage(),
                path);
        problem.setProperty("maxBodySize", ex.limit());
        problem.setProperty("property", ex.property());
        return problem;
    }

    /**
     * 400 listing each bad parameter as {@code errors: [{parameter, message}]}; the detail joins them as
     * {@code limit must be less than or equal to 500, was '100000'}.
     */
    public static ProblemDetail invalidParameters(List<Map<String, String>> errors, String path) {
        String detail = errors.stream().map(e -> e.get("parameter") + " " + e.get("message"))
                .collect(Collectors.joining("; "));
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-parameter", "Invalid request parameter",
                detail, path);
        problem.setProperty("errors", errors);
        return problem;
    }

    public static ProblemDetail invalidParameter(String parameter, String message, String path) {
        return invalidParameters(List.of(error(parameter, message)), path);
    }

    /** {@code ?limit=abc}, {@code /orders/x}: the value cannot be converted to the parameter's type. */
    public static ProblemDetail typeMismatch(TypeMismatchException ex, String path) {
        String name = ex instanceof MethodArgumentTypeMismatchException m ? m.getName() : ex.getPropertyName();
        return invalidParameter(name == null ? "parameter" : name,
                expected(ex.getRequiredType()) + ", was " + echo(ex.getValue()), path);
    }

    /** {@code ?limit=-1}: a constraint ({@code @Min}, {@code @Max} …) on a handler method's parameter failed. */
    public static ProblemDetail parameterValidation(HandlerMethodValidationException ex, String path) {
        List<Map<String, String>> errors = new ArrayList<>();
        for (ParameterValidationResult result : ex.getParameterValidationResults()) {
            String name = name(result.getMethodParameter());
            for (MessageSourceResolvable error : result.getResolvableErrors()) {
                errors.add(error(name, error.getDefaultMessage() + ", was " + echo(result.getArgument())));
            }
        }
        return invalidParameters(errors, path);
    }

    /** The problem as the JSON object Spring MVC writes for a {@link ProblemDetail}, for writers outside MVC. */
    static Map<String, Object> toJson(ProblemDetail problem) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("type", String.valueOf(problem.getType()));
        json.put("title", problem.getTitle());
        json.put("status", problem.getStatus());
        json.put("detail", problem.getDetail());
        if (problem.getInstance() != null) {
            json.put("instance", problem.getInstance().toString());
        }
        if (problem.getProperties() != null) {
            json.putAll(problem.getProperties());
        }
        return json;
    }

    /** {@code 'abc'}, cut to {@value #MAX_ECHO} characters; the problem is JSON, so any character is safe in it. */
    public static String echo(Object value) {
        if (value == null) {
            return "nothing";
        }
        String text = value instanceof Object[] array ? String.join(",", java.util.Arrays.stream(array)
                .map(String::valueOf).toList()) : String.valueOf(value);
        if (text.length() > MAX_ECHO) {
            int end = Character.isHighSurrogate(text.charAt(MAX_ECHO - 1)) ? MAX_ECHO - 1 : MAX_ECHO;
            text = text.substring(0, end) + "…";
        }
        return "'" + text + "'";
    }

    private static Map<String, String> error(String parameter, String message) {
        Map<String, String> error = new LinkedHashMap<>();
        error.put("parameter", parameter);
        error.put("message", message);
        return error;
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "has the wrong type";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class
                || type == short.class || type == Short.class) {
            return "must be a whole number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "must be true or false";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "must be a number";
        }
        return "must be a " + type.getSimpleName();
    }

    private static String name(MethodParameter parameter) {
        RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
        if (param != null && StringUtils.hasText(param.name())) {
            return param.name();
        }
        if (param != null && StringUtils.hasText(param.value())) {
            return param.value();
        }
        PathVariable path = parameter.getParameterAnnotation(PathVariable.class);
        if (path != null && StringUtils.hasText(path.name())) {
            return path.name();
        }
        if (path != null && StringUtils.hasText(path.value())) {
            return path.value();
        }
        RequestHeader header = parameter.getParameterAnnotation(RequestHeader.class);
        if (header != null && StringUtils.hasText(header.name())) {
            return header.name();
        }
        String name = parameter.getParameterName();
        return name != null ? name : "argument " + parameter.getParameterIndex();
    }
}
