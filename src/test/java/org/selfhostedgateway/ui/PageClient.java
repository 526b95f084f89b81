package org.selfhostedgateway.ui;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.selfhostedgateway.TestApi;

/**
 * A browser without JavaScript: keeps cookies, does not follow redirects, and sends forms with the CSRF token of the
 * page they came from.
 */
public final class PageClient {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private String lastPage = "";

    public PageClient(int port) {
        this.baseUrl = "http://localhost:" + port;
    }

    /** Signs in with this secret and returns the answer to the sign-in form. */
    public HttpResponse<String> signIn(String secret) {
        get("/login");
        return submit("/login", Map.of("secret", secret));
    }

    public PageClient signedInAsAdmin() {
        HttpResponse<String> reply = signIn(TestApi.TEST_TOKEN);
        if (reply.statusCode() != 302) {
            throw new IllegalStateException("Sign-in failed: " + reply.statusCode() + " " + reply.body());
        }
        return this;
    }

    public HttpResponse<String> get(String path) {
        HttpResponse<String> reply = send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
        lastPage = reply.body();
        return reply;
    }

    /** Posts a form with the CSRF token of the last page fetched, as the browser would. */
    public HttpResponse<String> submit(String path, Map<String, String> fields) {
        Map<String, String> all = new LinkedHashMap<>(fields);
        all.put("_csrf", csrfToken(lastPage));
        return postWithoutCsrf(path, all);
    }

    /** Posts a form with the CSRF token of the last page fetched and one extra request header. */
    public HttpResponse<String> submitWithHeader(String path, Map<String, String> fields, String header,
            String value) {
        Map<String, String> all = new LinkedHashMap<>(fields);
        all.put("_csrf", csrfToken(lastPage));
        return postWithoutCsrf(path, all, header, value);
    }

    /** Posts a form exactly as given, without adding a CSRF token; then any header names and values. */
    public HttpResponse<String> postWithoutCsrf(String path, Map<String, String> fields, String... headers) {
        String body = fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> reply = send(request);
        lastPage = reply.body();
        return reply;
    }

    /** Follows a redirect answer, as a browser would. */
    public HttpResponse<String> follow(HttpResponse<String> redirect) {
        String location = redirect.headers().firstValue("Location").orElseThrow();
        return get(location.startsWith("http") ? URI.create(location).getRawPath() : location);
    }

    public static String csrfToken(String html) {
        Matcher matcher = CSRF.matcher(html);
        if (!matcher.find()) {
            throw new IllegalStateException("No CSRF token on the page:\n" + html);
        }
        return matcher.group(1);
    }

    public HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
