//! `--output text`: the aws CLI's tab-separated text format.
//!
//! One call formats one response, one page of a paginated response, or one
//! `--query` result, exactly as aws CLI v2 prints it. The layout, learnt by
//! running the aws CLI on many documents:
//! - an object prints one line with the values of its scalar members, in
//!   key order (code point order), prefixed by the upper-cased name of the
//!   member that holds it (nothing at the top level); then each member that
//!   is a list or object, in key order, under its own name;
//! - a list of objects prints one such line per element, with a column for
//!   every scalar key that any element has (empty where an element lacks
//!   it), each line followed by that element's nested lists and objects;
//! - a list of scalars prints one `NAME\tvalue` line per element under a
//!   name, or all of them on one tab-separated line at the top level (a
//!   `--query` result); nested lists follow the scalars;
//! - scalars print as Python prints them: `None`, `True`, `False`, `1.0`.
//!
//! Empty lists and objects print nothing, not even a blank line.

use std::io::{self, Write};

use serde_json::{Map, Value};

use crate::python;

/// Writes `value` in aws's text format.
pub fn write_text<W: Write + ?Sized>(out: &mut W, value: &Value) -> io::Result<()> {
    let mut buf = String::new();
    format_value(&mut buf, value, None);
    out.write_all(buf.as_bytes())
}

fn is_scalar(v: &Value) -> bool {
    !matches!(v, Value::Array(_) | Value::Object(_))
}

fn format_value(buf: &mut String, value: &Value, name: Option<&str>) {
    match value {
        Value::Object(map) => format_object(buf, map, name),
        Value::Array(items) => format_list(buf, items, name),
        scalar => {
            let mut line = Vec::new();
            if let Some(n) = name {
                line.push(n.to_uppercase());
            }
            line.push(python::str(scalar));
            push_line(buf, &line);
        }
    }
}

fn push_line(buf: &mut String, fields: &[String]) {
    buf.push_str(&fields.join("\t"));
    buf.push('\n');
}

/// Sorted keys of `map`, split into those holding scalars and the rest.
fn split_keys(map: &Map<String, Value>) -> (Vec<&String>, Vec<&String>) {
    let (mut scalars, mut nested): (Vec<&String>, Vec<&String>) =
        map.keys().partition(|k| map.get(*k).is_some_and(is_scalar));
    scalars.sort();
    nested.sort();
    (scalars, nested)
}

fn format_object(buf: &mut String, map: &Map<String, Value>, name: Option<&str>) {
    let (scalars, nested) = split_keys(map);
    if !scalars.is_empty() {
        let mut line = Vec::with_capacity(scalars.len() + 1);
        if let Some(n) = name {
            line.push(n.to_uppercase());
        }
        line.extend(scalars.iter().filter_map(|k| map.get(*k)).map(python::str));
        push_line(buf, &line);
    }
    for key in nested {
        if let Some(v) = map.get(key) {
            format_value(buf, v, Some(key));
        }
    }
}

fn format_list(buf: &mut String, items: &[Value], name: Option<&str>) {
    if items.iter().any(Value::is_object) {
        format_object_list(buf, items, name);
        return;
    }
    let scalars: Vec<String> = items
        .iter()
        .filter(|v| is_scalar(v))
        .map(python::str)
        .collect();
    match name {
        Some(n) => {
            let upper = n.to_uppercase();
            for s in scalars {
                push_line(buf, &[upper.clone(), s]);
            }
        }
        None if !scalars.is_empty() => push_line(buf, &scalars),
        None => {}
    }
    for item in items.iter().filter(|v| !is_scalar(v)) {
        format_value(buf, item, name);
    }
}

fn format_object_list(buf: &mut String, items: &[Value], name: Option<&str>) {
    // Columns: every key that holds a scalar in at least one element.
    let mut columns: Vec<&String> = Vec::new();
    for map in items.iter().filter_map(Value::as_object) {
        for (k, v) in map {
            if is_scalar(v) && !columns.contains(&k) {
                columns.push(k);
            }
        }
    }
    columns.sort();
    let upper = name.map(str::to_uppercase);
    for item in items {
        let Some(map) = item.as_object() else {
            // aws fails with a Python error on a list mixing objects with
            // other values; print the odd element as it would print alone.
            format_value(buf, item, name);
            continue;
        };
        if !columns.is_empty() {
            let mut line = Vec::with_capacity(columns.len() + 1);
            if let Some(u) = &upper {
                line.push(u.clone());
            }
            for col in &columns {
                line.push(match map.get(*col) {
                    None => String::new(),
                    Some(v) if is_scalar(v) => python::str(v),
                    // A key that is a scalar in another element: aws prints
                    // Python's repr of the list or object in the cell.
                    Some(v) => python::repr(v),
                });
            }
            push_line(buf, &line);
        }
        for (key, v) in sorted_entries(map) {
            if !is_scalar(v) && !columns.contains(&key) {
                format_value(buf, v, Some(key));
            }
        }
    }
}

fn sorted_entries(map: &Map<String, Value>) -> Vec<(&String, &Value)> {
    let mut entries: Vec<(&String, &Value)> = map.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(json: &str) -> String {
        let v: Value = serde_json::from_str(json).unwrap();
        let mut out = Vec::new();
        write_text(&mut out, &v).unwrap();
        String::from_utf8(out).unwrap()
    }

    // Every expected string below was printed by the aws CLI's own text
    // formatter (awscli 1.46.3, same bytes as v2) for the same document.

    #[test]
    fn reference_describe_images() {
        let doc = r#"{"imageDetails": [{"registryId": "210987654321", "repositoryName": "shop/cart", "imageDigest": "sha256:4444444444444444444444444444444444444444444444444444444444444444", "imageTags": ["1.0", "stable"], "imageSizeInBytes": 1024, "imagePushedAt": "2024-05-31T16:10:00+00:00", "artifactMediaType": "application/vnd.oci.image.config.v1+json"}, {"registryId": "210987654321", "repositoryName": "shop/cart", "imageDigest": "sha256:5555555555555555555555555555555555555555555555555555555555555555", "imageSizeInBytes": 2048, "imagePushedAt": "2024-05-31T16:11:40.123456+00:00"}]}"#;
        assert_eq!(
            text(doc),
            "IMAGEDETAILS\tapplication/vnd.oci.image.config.v1+json\tsha256:4444444444444444444444444444444444444444444444444444444444444444\t2024-05-31T16:10:00+00:00\t1024\t210987654321\tshop/cart\nIMAGETAGS\t1.0\nIMAGETAGS\tstable\nIMAGEDETAILS\t\tsha256:5555555555555555555555555555555555555555555555555555555555555555\t2024-05-31T16:11:40.123456+00:00\t2048\t210987654321\tshop/cart\n"
        );
    }

    #[test]
    fn reference_describe_repositories() {
        let doc = r#"{"repositories": [{"repositoryArn": "arn:aws:ecr:eu-west-1:210987654321:repository/shop/cart", "registryId": "210987654321", "repositoryName": "shop/cart", "repositoryUri": "210987654321.dkr.ecr.eu-west-1.amazonaws.com/shop/cart", "createdAt": "2024-05-31T16:08:37.250000+00:00", "imageTagMutability": "IMMUTABLE", "imageScanningConfiguration": {"scanOnPush": true}, "encryptionConfiguration": {"encryptionType": "KMS", "kmsKey": "arn:aws:kms:eu-west-1:210987654321:key/k1"}}]}"#;
        assert_eq!(
            text(doc),
            "REPOSITORIES\t2024-05-31T16:08:37.250000+00:00\tIMMUTABLE\t210987654321\tarn:aws:ecr:eu-west-1:210987654321:repository/shop/cart\tshop/cart\t210987654321.dkr.ecr.eu-west-1.amazonaws.com/shop/cart\nENCRYPTIONCONFIGURATION\tKMS\tarn:aws:kms:eu-west-1:210987654321:key/k1\nIMAGESCANNINGCONFIGURATION\tTrue\n"
        );
    }

    #[test]
    fn query_scalars() {
        assert_eq!(text("null"), "None\n");
        assert_eq!(text("true"), "True\n");
        assert_eq!(text("false"), "False\n");
        assert_eq!(text("5"), "5\n");
        assert_eq!(text("1.5"), "1.5\n");
        assert_eq!(text("-0.0"), "-0.0\n");
        assert_eq!(text("1e-5"), "1e-05\n");
        assert_eq!(text("\"abc\""), "abc\n");
        assert_eq!(text("\"\""), "\n");
        assert_eq!(text("\"日本\""), "日本\n");
        assert_eq!(text(r#""x\ty\nz""#), "x\ty\nz\n");
    }

    #[test]
    fn empty_things_print_nothing() {
        for doc in [
            "[]",
            "{}",
            "[[]]",
            "[{}]",
            "[{},{}]",
            r#"{"a":[]}"#,
            r#"{"a":{}}"#,
        ] {
            assert_eq!(text(doc), "", "{doc}");
        }
        assert_eq!(text(r#"{"x":[{"a":{}}, {"a":[]}]}"#), "");
    }

    #[test]
    fn lists_of_scalars() {
        assert_eq!(
            text(r#"["a","b",3,null,true,1.0]"#),
            "a\tb\t3\tNone\tTrue\t1.0\n"
        );
        assert_eq!(text("[null]"), "None\n");
        assert_eq!(text(r#"[["a","b"],["c"]]"#), "a\tb\nc\n");
        assert_eq!(text(r#"["a",["b","c"],"d"]"#), "a\td\nb\tc\n");
        assert_eq!(text(r#"[[1,[2]],3,[4,5]]"#), "3\n1\n2\n4\t5\n");
        assert_eq!(text(r#"{"a":[1,2]}"#), "A\t1\nA\t2\n");
        assert_eq!(text(r#"{"a":[1,[2,3],4]}"#), "A\t1\nA\t4\nA\t2\nA\t3\n");
        assert_eq!(
            text(r#"{"a":[["x",[1,2]],"y"]}"#),
            "A\ty\nA\tx\nA\t1\nA\t2\n"
        );
    }

    #[test]
    fn objects_and_lists_of_objects() {
        assert_eq!(text(r#"{"b":1,"a":"x","c":null}"#), "x\t1\tNone\n");
        assert_eq!(
            text(r#"{"Zz":{"y":1},"a":2,"B":[{"k":"v"}]}"#),
            "2\nB\tv\nZZ\t1\n"
        );
        assert_eq!(text(r#"[{"a":1},{"b":2}]"#), "1\t\n\t2\n");
        assert_eq!(
            text(r#"{"a":[{"b":1,"z":[1]},{"c":2}]}"#),
            "A\t1\t\nZ\t1\nA\t\t2\n"
        );
        assert_eq!(text(r#"{"a":{"b":[1,2],"c":3}}"#), "A\t3\nB\t1\nB\t2\n");
        assert_eq!(text(r#"{"a":[{"b":{"c":[{"d":5}]}}]}"#), "C\t5\n");
        assert_eq!(text(r#"{"x":[{"a":1},{}]}"#), "X\t1\nX\t\n");
        assert_eq!(text(r#"[{"a":1},{"b":[1]}]"#), "1\n\nB\t1\n");
        assert_eq!(text(r#"{"x":[[{"a":1}],[{"b":2}]]}"#), "X\t1\nX\t2\n");
        assert_eq!(
            text(r#"{"a":{"b":null,"c":{"d":[null]}}}"#),
            "A\tNone\nD\tNone\n"
        );
    }

    #[test]
    fn keys_upper_case_like_python() {
        assert_eq!(text(r#"{"é":1,"ß":{"ﬁx":[1]}}"#), "1\nFIX\t1\n");
    }

    #[test]
    fn numbers() {
        assert_eq!(
            text(r#"{"a":1e100,"b":123456789012345678,"c":7.5,"d":100.0}"#),
            "1e+100\t123456789012345678\t7.5\t100.0\n"
        );
    }

    #[test]
    fn cell_holding_a_list_prints_python_repr() {
        assert_eq!(text(r#"[{"a":1},{"a":[1]}]"#), "1\n[1]\n");
        assert_eq!(text(r#"[{"a":[1]},{"a":1}]"#), "[1]\n1\n");
    }

    #[test]
    fn oracle_more() {
        assert_eq!(
            text(
                r#"{"名前": ["日本語", "é"], "n": 18446744073709551615, "f": [1e-05, 1.5e+16, 0.1]}"#
            ),
            "18446744073709551615\nF\t1e-05\nF\t1.5e+16\nF\t0.1\n名前\t日本語\n名前\té\n"
        );
        assert_eq!(
            text(r#"{"NextToken": {"NextToken": "abc"}}"#),
            "NEXTTOKEN\tabc\n"
        );
    }
}
