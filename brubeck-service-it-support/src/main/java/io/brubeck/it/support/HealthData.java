package io.brubeck.it.support;

import java.util.regex.Pattern;

/** Reads what a MicroProfile Health endpoint says of brubeck-service's check. */
public final class HealthData {
    private HealthData() {
    }

    /**
     * Whether the JSON of a health endpoint has brubeck-service's check with this datum, which a server may
     * write as a string or as a number.
     */
    public static boolean has(String json, String key, String value) {
        String compact = json.replaceAll("\\s", "");
        return compact.contains("\"name\":\"brubeck-service\"")
                && Pattern.compile(Pattern.quote("\"" + key + "\":") + "\"?" + Pattern.quote(value) + "\"?[,}]")
                        .matcher(compact).find();
    }
}
