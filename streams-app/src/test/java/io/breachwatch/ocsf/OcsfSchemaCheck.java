package io.breachwatch.ocsf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a finding against the required attributes, at-least-one constraints and enums of the public OCSF schema,
 * as listed in the test data {@value #RESOURCE} (which says where each list comes from).
 */
final class OcsfSchemaCheck {
    static final String RESOURCE = "/ocsf/detection-finding-required-1.6.0.json";
    private final JsonNode schema;

    OcsfSchemaCheck() {
        try (var in = OcsfSchemaCheck.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " missing from the test classpath");
            }
            schema = new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String version() {
        return schema.get("version").asText();
    }

    /** Every violation, as "path: problem"; empty when the finding conforms. */
    List<String> violations(JsonNode finding) {
        var problems = new ArrayList<String>();
        var cls = schema.get("class");
        required(finding, cls, "", problems);
        enums(finding, cls, "", problems);
        if (finding.path("class_uid").asInt() != cls.get("class_uid").asInt()) {
            problems.add("class_uid: expected " + cls.get("class_uid"));
        }
        if (finding.path("category_uid").asInt() != cls.get("category_uid").asInt()) {
            problems.add("category_uid: expected " + cls.get("category_uid"));
        }
        if (finding.path("type_uid").asInt() != finding.path("class_uid").asInt() * 100 + finding.path("activity_id").asInt()) {
            problems.add("type_uid: must be class_uid * 100 + activity_id");
        }
        schema.get("paths").fields().forEachRemaining(entry ->
                nodesAt(finding, entry.getKey()).forEach(node -> object(node, entry.getKey(), entry.getValue().asText(), problems)));
        return problems;
    }

    private void object(JsonNode node, String path, String type, List<String> problems) {
        if (!node.isObject()) {
            problems.add(path + ": expected an object (" + type + ")");
            return;
        }
        var definition = schema.get("objects").get(type);
        required(node, definition, path + ".", problems);
        enums(node, definition, path + ".", problems);
        var atLeastOne = definition.get("at_least_one");
        if (atLeastOne != null) {
            var any = false;
            for (var name : atLeastOne) {
                any |= present(node.get(name.asText()));
            }
            if (!any) {
                problems.add(path + ": needs at least one of " + atLeastOne);
            }
        }
    }

    private static void required(JsonNode node, JsonNode definition, String prefix, List<String> problems) {
        var required = definition.get("required");
        if (required == null) {
            return;
        }
        for (var name : required) {
            if (!present(node.get(name.asText()))) {
                problems.add(prefix + name.asText() + ": required, missing");
            }
        }
    }

    private static void enums(JsonNode node, JsonNode definition, String prefix, List<String> problems) {
        var enums = definition.get("enums");
        if (enums == null) {
            return;
        }
        enums.fields().forEachRemaining(entry -> {
            var value = node.get(entry.getKey());
            if (value == null) {
                return;
            }
            var known = false;
            for (var allowed : entry.getValue()) {
                known |= allowed.asInt() == value.asInt() && value.isInt();
            }
            if (!known) {
                problems.add(prefix + entry.getKey() + ": " + value + " is not one of " + entry.getValue());
            }
        });
    }

    private static boolean present(JsonNode value) {
        return value != null && !value.isNull() && !(value.isContainerNode() && value.isEmpty())
                && !(value.isTextual() && value.asText().isEmpty());
    }

    /** The nodes at a path such as {@code anomaly_analyses[].baselines[]}: {@code []} steps into every array element. */
    private static List<JsonNode> nodesAt(JsonNode root, String path) {
        var nodes = List.of(root);
        for (var step : path.split("\\.")) {
            var array = step.endsWith("[]");
            var name = array ? step.substring(0, step.length() - 2) : step;
            var next = new ArrayList<JsonNode>();
            for (var node : nodes) {
                var child = node.get(name);
                if (child == null || child.isNull()) {
                    continue;
                }
                if (array) {
                    child.forEach(next::add);
                } else {
                    next.add(child);
                }
            }
            nodes = next;
        }
        return nodes;
    }
}
