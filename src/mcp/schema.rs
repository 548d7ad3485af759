//! The tools' JSON Schemas as a client receives them: what schemars
//! generates from the argument and output types, made compact in this one
//! place.
//!
//! Every character of `tools/list` is paid for by an agent's context in
//! every conversation, and MCP clients (the Inspector among them) warn about
//! schemars' own formats (`uint`, `double`, `int64`). So, for every tool:
//! - formats that JSON Schema does not define are dropped (`date` stays);
//!   so are `$schema`, `"default": null` and `"minimum": 0` on counts;
//! - an enum written as `oneOf` of documented constants becomes `enum` (its
//!   values say their type): the field that uses it says what they mean;
//! - a nested object type used once is written in place; one used more
//!   often stays in `$defs`, described once, without its own description
//!   (rustdoc for the library: the fields that use it say what it is for);
//!   an enum is always written in place, shorter than a reference;
//! - in input schemas, an optional argument is typed as its value
//!   (`"string"`, not `["string", "null"]`: some clients are strict about it);
//! - in output schemas, which describe what `Serialize` writes, a field that
//!   may be left out is skipped when `None`, so it is never `null`;
//!   `required` and defaults are left out (they only help validate, and a
//!   model reads the fields), and so are, below the root, the `object` and
//!   `array` types that `properties` and `items` already say.

use rmcp::model::{JsonObject, Tool};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::Arc;

/// The formats of JSON Schema 2020-12 (section 7.3); any other is dropped.
const STANDARD_FORMATS: &[&str] = &[
    "date-time",
    "date",
    "time",
    "duration",
    "email",
    "idn-email",
    "hostname",
    "idn-hostname",
    "ipv4",
    "ipv6",
    "uri",
    "uri-reference",
    "iri",
    "iri-reference",
    "uuid",
    "uri-template",
    "json-pointer",
    "relative-json-pointer",
    "regex",
];

/// Makes `tool`'s input and output schemas compact (see the module's documentation).
pub fn compact_tool(tool: &mut Tool) {
    let mut input = tool.input_schema.as_ref().clone();
    compact_input(&mut input);
    tool.input_schema = Arc::new(input);
    if let Some(output) = &tool.output_schema {
        let mut output = output.as_ref().clone();
        compact_output(&mut output);
        tool.output_schema = Some(Arc::new(output));
    }
}

/// An input schema: clean, definitions inlined, optional arguments typed as their value.
pub fn compact_input(schema: &mut JsonObject) {
    schema.remove("$schema");
    clean(schema);
    inline_defs(schema);
    let required = names(schema.get("required"));
    if let Some(Value::Object(properties)) = schema.get_mut("properties") {
        for (name, property) in properties.iter_mut() {
            if let Value::Object(p) = property
                && !required.contains(name)
            {
                not_null(p);
            }
        }
    }
}

/// An output schema: clean, single-use types inlined, no `required`.
pub fn compact_output(schema: &mut JsonObject) {
    schema.remove("$schema");
    schema.remove("description");
    clean(schema);
    inline_defs(schema);
    output_fields(schema);
    subschemas(schema, &mut implied_types);
}

/// Writes in place each definition used once and each enum; the others
/// stay in `$defs`, without their type's own description (the fields that
/// use them say what they are for).
fn inline_defs(schema: &mut JsonObject) {
    let mut defs = match schema.remove("$defs") {
        Some(Value::Object(defs)) => defs,
        _ => Map::new(),
    };
    for def in defs.values_mut() {
        if let Value::Object(d) = def {
            d.remove("description");
        }
    }
    let mut uses: HashMap<String, usize> = HashMap::new();
    count_refs(&Value::Object(schema.clone()), &mut uses);
    for def in defs.values() {
        count_refs(def, &mut uses);
    }
    // A small enum costs less written out than referred to.
    let inline: Map<String, Value> = defs
        .iter()
        .filter(|(name, def)| {
            uses.get(name.as_str()).copied().unwrap_or(0) <= 1 || def.get("properties").is_none()
        })
        .map(|(name, def)| (name.clone(), def.clone()))
        .collect();
    defs.retain(|name, _| !inline.contains_key(name));
    let mut root = Value::Object(std::mem::take(schema));
    inline_refs(&mut root, &inline);
    for def in defs.values_mut() {
        inline_refs(def, &inline);
    }
    if let Value::Object(mut root) = root {
        if !defs.is_empty() {
            root.insert("$defs".to_string(), Value::Object(defs));
        }
        *schema = root;
    }
}

/// Below the root (which MCP wants typed `object`): `"type": "object"` beside
/// `properties` and `"type": "array"` beside `items` say nothing more.
fn implied_types(schema: &mut JsonObject) {
    let implied = match schema.get("type").and_then(Value::as_str) {
        Some("object") => schema.contains_key("properties"),
        Some("array") => schema.contains_key("items"),
        _ => false,
    };
    if implied {
        schema.remove("type");
    }
    subschemas(schema, &mut implied_types);
}

/// Drops what adds nothing, anywhere in `schema`: non-standard formats,
/// `"default": null`, `"minimum": 0`, titles; `oneOf` constants become `enum`.
fn clean(schema: &mut JsonObject) {
    if schema
        .get("format")
        .and_then(Value::as_str)
        .is_some_and(|f| !STANDARD_FORMATS.contains(&f))
    {
        schema.remove("format");
    }
    if schema.get("default") == Some(&Value::Null) {
        schema.remove("default");
    }
    if schema.get("minimum").and_then(Value::as_u64) == Some(0) {
        schema.remove("minimum");
    }
    schema.remove("title");
    // An enum of strings says its type.
    if schema
        .get("enum")
        .and_then(Value::as_array)
        .is_some_and(|values| values.iter().all(Value::is_string))
        && schema.get("type") == Some(&Value::from("string"))
    {
        schema.remove("type");
    }
    if let Some(Value::Array(options)) = schema.get("oneOf") {
        let constants: Option<Vec<Value>> = options
            .iter()
            .map(|o| o.get("const").filter(|c| c.is_string()).cloned())
            .collect();
        if let Some(constants) = constants {
            schema.remove("oneOf");
            schema.remove("type");
            schema.insert("enum".to_string(), Value::Array(constants));
        }
    }
    subschemas(schema, &mut clean);
}

/// Calls `f` on each schema directly inside `schema`: its properties, its
/// definitions, its items, its alternatives (and not on names or constants,
/// which may look like keywords: a field called `title` or `format`).
fn subschemas(schema: &mut JsonObject, f: &mut dyn FnMut(&mut JsonObject)) {
    for (key, value) in schema.iter_mut() {
        match (key.as_str(), value) {
            ("properties" | "$defs", Value::Object(map)) => {
                for v in map.values_mut() {
                    if let Value::Object(o) = v {
                        f(o);
                    }
                }
            }
            ("items" | "additionalProperties" | "not", Value::Object(o)) => f(o),
            ("anyOf" | "oneOf" | "allOf" | "prefixItems", Value::Array(items)) => {
                for v in items {
                    if let Value::Object(o) = v {
                        f(o);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Counts the `$ref`s to each definition.
fn count_refs(value: &Value, uses: &mut HashMap<String, usize>) {
    match value {
        Value::Object(o) => {
            if let Some(name) = o.get("$ref").and_then(Value::as_str).and_then(def_name) {
                *uses.entry(name.to_string()).or_default() += 1;
            }
            o.values().for_each(|v| count_refs(v, uses));
        }
        Value::Array(items) => items.iter().for_each(|v| count_refs(v, uses)),
        _ => {}
    }
}

fn def_name(reference: &str) -> Option<&str> {
    reference.strip_prefix("#/$defs/")
}

/// Writes each reference to a definition of `inline` in place (its own
/// keys, such as a description, win over the definition's).
fn inline_refs(value: &mut Value, inline: &Map<String, Value>) {
    match value {
        Value::Object(o) => {
            let target = o
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(def_name)
                .and_then(|name| inline.get(name))
                .cloned();
            if let Some(Value::Object(def)) = target {
                o.remove("$ref");
                for (key, v) in def {
                    o.entry(key).or_insert(v);
                }
            }
            o.values_mut().for_each(|v| inline_refs(v, inline));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| inline_refs(v, inline)),
        _ => {}
    }
}

/// In every object of an output schema: a field that may be left out is
/// not also `null`, and `required` goes.
fn output_fields(schema: &mut JsonObject) {
    let required = names(schema.get("required"));
    schema.remove("required");
    // A default says what a reader may leave out: nothing, for an answer.
    schema.remove("default");
    if let Some(Value::Object(properties)) = schema.get_mut("properties") {
        for (name, property) in properties.iter_mut() {
            if let Value::Object(p) = property
                && !required.contains(name)
            {
                not_null(p);
            }
        }
    }
    subschemas(schema, &mut output_fields);
}

/// `["T", "null"]` -> `"T"`, and `anyOf: [X, {"type": "null"}]` -> X.
fn not_null(property: &mut JsonObject) {
    if let Some(Value::Array(types)) = property.get("type") {
        let kept: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
        let kept = match <[Value; 1]>::try_from(kept) {
            Ok([one]) => one,
            Err(many) => Value::Array(many),
        };
        property.insert("type".to_string(), kept);
    }
    let Some(Value::Array(options)) = property.get("anyOf") else {
        return;
    };
    let kept: Vec<Value> = options
        .iter()
        .filter(|o| o.get("type").and_then(Value::as_str) != Some("null"))
        .cloned()
        .collect();
    match <[Value; 1]>::try_from(kept) {
        Ok([Value::Object(one)]) => {
            property.remove("anyOf");
            for (key, v) in one {
                property.entry(key).or_insert(v);
            }
        }
        Ok([other]) => {
            property.insert("anyOf".to_string(), Value::Array(vec![other]));
        }
        Err(many) => {
            property.insert("anyOf".to_string(), Value::Array(many));
        }
    }
}

fn names(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object(value: Value) -> JsonObject {
        match value {
            Value::Object(o) => o,
            _ => unreachable!("a JSON object"),
        }
    }

    #[test]
    fn formats_defaults_and_nulls_go_from_inputs() {
        let mut schema = object(json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "properties": {
                "query": {"type": "string"},
                "title": {"type": ["string", "null"], "title": "x"},
                "limit": {"type": ["integer", "null"], "format": "int64", "default": null},
                "after": {"type": ["string", "null"], "format": "date"}
            },
            "required": ["query"]
        }));
        compact_input(&mut schema);
        assert_eq!(
            Value::Object(schema),
            json!({
                "properties": {
                    "query": {"type": "string"},
                    "title": {"type": "string"},
                    "limit": {"type": "integer"},
                    "after": {"type": "string", "format": "date"}
                },
                "required": ["query"]
            })
        );
    }

    #[test]
    fn outputs_inline_types_used_once_and_keep_shared_ones() {
        let mut schema = object(json!({
            "$schema": "x",
            "description": "A page.",
            "properties": {
                "hits": {"type": "array", "items": {"$ref": "#/$defs/Hit"}, "default": []},
                "next_cursor": {"type": ["string", "null"]},
                "total": {"type": "integer", "format": "uint", "minimum": 0}
            },
            "required": ["hits", "total"],
            "$defs": {
                "Hit": {
                    "description": "One hit.",
                    "properties": {
                        "timing": {"$ref": "#/$defs/Timing", "description": "How timed."},
                        "match_timing": {"$ref": "#/$defs/Chapter"},
                        "chapter": {"anyOf": [{"$ref": "#/$defs/Chapter"}, {"type": "null"}]}
                    },
                    "required": ["timing", "match_timing"]
                },
                "Chapter": {"type": "object", "properties": {"index": {"type": "integer", "format": "uint"}}},
                "Timing": {"oneOf": [
                    {"const": "exact", "description": "Read.", "type": "string"},
                    {"const": "none", "description": "Untimed.", "type": "string"}
                ]}
            }
        }));
        compact_output(&mut schema);
        assert_eq!(
            Value::Object(schema),
            json!({
                "properties": {
                    "hits": {"items": {
                        "properties": {
                            "timing": {"description": "How timed.", "enum": ["exact", "none"]},
                            "match_timing": {"$ref": "#/$defs/Chapter"},
                            "chapter": {"$ref": "#/$defs/Chapter"}
                        }
                    }},
                    "next_cursor": {"type": "string"},
                    "total": {"type": "integer"}
                },
                "$defs": {"Chapter": {"properties": {"index": {"type": "integer"}}}}
            })
        );
    }
}
