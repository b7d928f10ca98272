package org.dl4jinvariance.ui;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** GET requests against the running UI server. */
final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private Http() {
    }

    static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The JSON body of a 200 response, as maps and lists. */
    @SuppressWarnings("unchecked")
    static <T> T json(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = get(url);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + url + " gave HTTP " + r.statusCode() + ": " + r.body());
        }
        return (T) JSON.readValue(r.body(), Object.class);
    }

    static Map<String, Object> jsonObject(String url) throws IOException, InterruptedException {
        return json(url);
    }
}
