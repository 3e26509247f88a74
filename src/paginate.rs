//! Pagination, generic over the model's paginators, as botocore does it.
//!
//! [`Pages`] drives the calls: it injects the starting token and page size,
//! follows the output token, stops after `--max-items` (cutting a page when
//! needed) and builds the `NextToken` that aws prints: base64 of Python's
//! `json.dumps` of `{"nextToken": ...}`, with `"boto_truncate_amount"` when a
//! page was cut. [`Merger`] builds aws's merged result incrementally (result
//! keys concatenated, non-aggregate keys from the first page), so pages can be
//! dropped as soon as they are merged. Nothing here knows an operation by
//! name: every rule comes from [`Paginator`].

use base64::Engine as _;
use serde_json::{Map, Value};

use crate::error::Error;
use crate::model::Paginator;
use crate::output::Paging;

/// The paging options of the command line, already parsed.
#[derive(Debug, Default, Clone)]
pub struct PageOptions {
    pub starting_token: Option<String>,
    pub page_size: Option<i64>,
    pub max_items: Option<i64>,
}

/// The value at a dotted path (`imageScanFindings.findings`); `None` when a
/// step is missing, null or not an object.
pub fn search<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    let mut cur = v;
    for key in path.split('.') {
        cur = cur.as_object()?.get(key)?;
    }
    (!cur.is_null()).then_some(cur)
}

/// Takes the value at a dotted path out of `v` (leaving null there), as
/// [`search`] would find it.
pub fn take(v: &mut Value, path: &str) -> Option<Value> {
    search_mut(v, path).map(Value::take)
}

fn search_mut<'a>(v: &'a mut Value, path: &str) -> Option<&'a mut Value> {
    let mut cur = v;
    for key in path.split('.') {
        cur = cur.as_object_mut()?.get_mut(key)?;
    }
    (!cur.is_null()).then_some(cur)
}

/// botocore's `set_value_from_jmespath`: sets `path`, creating objects on
/// the way (replacing a non-object step, where Python would fail).
pub fn set_path(v: &mut Value, path: &str, value: Value) {
    let (head, rest) = match path.split_once('.') {
        Some((h, r)) => (h, Some(r)),
        None => (path, None),
    };
    if !v.is_object() {
        *v = Value::Object(Map::new());
    }
    let Value::Object(map) = v else { return };
    match rest {
        None => {
            map.insert(head.to_string(), value);
        }
        Some(rest) => {
            let child = map
                .entry(head.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            set_path(child, rest, value);
        }
    }
}

/// Python's `len(x)` for a result key's value (0 when absent).
fn py_len(v: Option<&Value>) -> i64 {
    match v {
        Some(Value::Array(a)) => a.len() as i64,
        Some(Value::String(s)) => s.chars().count() as i64,
        _ => 0,
    }
}

/// Python's clamping of a slice bound `i` for a sequence of `len`.
fn py_bound(i: i64, len: i64) -> usize {
    let i = if i < 0 { (i + len).max(0) } else { i.min(len) };
    usize::try_from(i).unwrap_or(0)
}

/// botocore's `TokenEncoder`: base64 of the JSON of the token dict.
pub fn encode_token(token: &Map<String, Value>) -> String {
    base64::engine::general_purpose::STANDARD.encode(crate::python::dumps(
        &Value::Object(token.clone()),
        crate::python::DUMPS_SEPARATORS,
    ))
}

/// botocore's `_parse_starting_token`: a base64 JSON dict (aws's and rcr's
/// tokens), else the old `token___index` form, else the service's own token.
/// Returns the token dict and the number of items to skip in the first page.
pub fn decode_token(token: &str, input_token: &[&str]) -> Result<(Map<String, Value>, i64), Error> {
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(token.trim())
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| serde_json::from_str::<Value>(&text).ok());
    if let Some(Value::Object(mut map)) = decoded {
        let index = match map.shift_remove("boto_truncate_amount") {
            Some(v) => v.as_i64().unwrap_or(0),
            None => 0,
        };
        return Ok((map, index));
    }
    // The deprecated form: parts joined by `___`, the last one an index.
    let mut parts: Vec<&str> = token.split("___").collect();
    let mut index = 0;
    if parts.len() == input_token.len() + 1 {
        match parts.last().and_then(|p| p.parse::<i64>().ok()) {
            Some(i) => {
                index = i;
                parts.pop();
            }
            None => parts = vec![token],
        }
    }
    if parts.len() > input_token.len() {
        return Err(Error::Other(format!("Bad starting token: {token}")));
    }
    let mut map = Map::new();
    for (i, name) in input_token.iter().enumerate() {
        let v = match parts.get(i) {
            Some(&"None") | None => Value::Null,
            Some(p) => Value::String((*p).to_string()),
        };
        map.insert((*name).to_string(), v);
    }
    Ok((map, index))
}

/// One paginated command in progress: what to send next, and what each page
/// becomes.
pub struct Pages {
    paginator: &'static Paginator,
    input: Value,
    max_items: Option<i64>,
    starting: Option<(Map<String, Value>, i64)>,
    next_token: Map<String, Value>,
    previous: Option<Map<String, Value>>,
    total: i64,
    first: bool,
    done: bool,
    resume_token: Option<String>,
    non_aggregate: Value,
}

impl Pages {
    pub fn new(
        paginator: &'static Paginator,
        mut input: Value,
        options: &PageOptions,
    ) -> Result<Pages, Error> {
        let mut next_token: Map<String, Value> = paginator
            .input_token
            .iter()
            .map(|k| ((*k).to_string(), Value::Null))
            .collect();
        let starting = match &options.starting_token {
            Some(t) => Some(decode_token(t, paginator.input_token)?),
            None => None,
        };
        if let Some((token, _)) = &starting {
            next_token = token.clone();
            inject(&mut input, token);
        }
        if let (Some(limit), Some(size)) = (paginator.limit_key, options.page_size)
            && let Value::Object(map) = &mut input
        {
            map.insert(limit.to_string(), Value::from(size));
        }
        Ok(Pages {
            paginator,
            input,
            max_items: options.max_items,
            starting,
            next_token,
            previous: None,
            total: 0,
            first: true,
            done: false,
            resume_token: None,
            non_aggregate: Value::Object(Map::new()),
        })
    }

    /// The input of the next call, or `None` when paging is over.
    pub fn request(&self) -> Option<&Value> {
        (!self.done).then_some(&self.input)
    }

    /// The token aws prints as `NextToken`, once paging is over.
    pub fn resume_token(&self) -> Option<&str> {
        self.resume_token.as_deref()
    }

    /// The first page's non-aggregate keys (null where the page had none).
    pub fn non_aggregate(&self) -> &Value {
        &self.non_aggregate
    }

    /// Takes the response to [`Pages::request`] and returns the page as aws
    /// yields it (cut to `--max-items`, the resumed part skipped).
    pub fn accept(&mut self, mut page: Value) -> Result<Value, Error> {
        let primary = self.paginator.result_keys.first().copied().unwrap_or("");
        let mut starting_truncation = 0;
        let is_first = self.first;
        if self.first {
            self.first = false;
            if let Some((_, skip)) = &self.starting {
                starting_truncation = *skip;
                self.skip_resumed(&mut page, primary, starting_truncation);
            }
        }
        let n = py_len(search(&page, primary));
        let truncate = self.max_items.map(|max| self.total + n - max).unwrap_or(0);
        if truncate > 0 {
            let keep = n - truncate;
            if let Some(v) = search_mut(&mut page, primary) {
                match v {
                    Value::Array(a) => {
                        let end = py_bound(keep, a.len() as i64);
                        a.truncate(end);
                    }
                    Value::String(s) => {
                        let end = py_bound(keep, s.chars().count() as i64);
                        *s = s.chars().take(end).collect();
                    }
                    _ => {}
                }
            } else {
                set_path(&mut page, primary, Value::Array(Vec::new()));
            }
            let mut token = self.next_token.clone();
            token.insert(
                "boto_truncate_amount".into(),
                Value::from(keep + starting_truncation),
            );
            self.resume_token = Some(encode_token(&token));
            self.done = true;
            if is_first {
                self.record_non_aggregate(&page);
            }
            return Ok(page);
        }
        if is_first {
            self.record_non_aggregate(&page);
        }
        self.total += n;
        let next = self.next_token_of(&page);
        if next.values().all(Value::is_null) {
            self.done = true;
        } else if self.max_items == Some(self.total) {
            self.resume_token = Some(encode_token(&next));
            self.done = true;
        } else if self.previous.as_ref() == Some(&next) {
            return Err(Error::Other(format!(
                "Error during pagination: The same next token was received twice: {}",
                crate::python::repr(&Value::Object(next.clone()))
            )));
        } else {
            inject(&mut self.input, &next);
            self.previous = Some(next.clone());
            self.next_token = next;
        }
        Ok(page)
    }

    fn record_non_aggregate(&mut self, page: &Value) {
        let mut part = Value::Object(Map::new());
        for key in self.paginator.non_aggregate_keys {
            let v = search(page, key).cloned().unwrap_or(Value::Null);
            set_path(&mut part, key, v);
        }
        self.non_aggregate = part;
    }

    /// botocore's `_handle_first_request`: drop the items a cut token already
    /// printed, and empty the secondary result keys (printed whole before).
    fn skip_resumed(&self, page: &mut Value, primary: &str, skip: i64) {
        let sliced = match search(page, primary) {
            Some(Value::Array(a)) => {
                let start = py_bound(skip, a.len() as i64);
                Value::Array(a[start..].to_vec())
            }
            Some(Value::String(s)) => {
                let start = py_bound(skip, s.chars().count() as i64);
                Value::String(s.chars().skip(start).collect())
            }
            _ => Value::Null,
        };
        set_path(page, primary, sliced);
        for key in self.paginator.result_keys.iter().skip(1) {
            let empty = match search(page, key) {
                Some(Value::Array(_)) => Value::Array(Vec::new()),
                Some(Value::String(_)) => Value::String(String::new()),
                Some(Value::Number(_)) => Value::from(0),
                _ => Value::Null,
            };
            set_path(page, key, empty);
        }
    }

    /// botocore's `_get_next_token`: empty strings count as no token.
    fn next_token_of(&self, page: &Value) -> Map<String, Value> {
        if let Some(more) = self.paginator.more_results
            && search(page, more).is_none_or(crate::output::query::is_false)
        {
            return Map::new();
        }
        self.paginator
            .output_token
            .iter()
            .zip(self.paginator.input_token)
            .map(|(out, inp)| {
                let v = match search(page, out) {
                    Some(v) if !crate::output::query::is_false(v) => v.clone(),
                    _ => Value::Null,
                };
                ((*inp).to_string(), v)
            })
            .collect()
    }
}

/// botocore's `_inject_token_into_kwargs`.
fn inject(input: &mut Value, token: &Map<String, Value>) {
    let Value::Object(map) = input else { return };
    for (name, v) in token {
        if v.is_null() || v.as_str() == Some("None") {
            map.shift_remove(name);
        } else {
            map.insert(name.clone(), v.clone());
        }
    }
}

/// botocore's `build_full_result`, one page at a time.
/// Turns a paginated command's pages into the documents its output prints,
/// as the output's format wants them ([`Paging`]).
pub struct Collector {
    paginator: &'static Paginator,
    paging: Paging,
    merger: Merger,
    pages_seen: usize,
}

impl Collector {
    pub fn new(paginator: &'static Paginator, paging: Paging) -> Collector {
        Collector {
            paginator,
            paging,
            merger: Merger::new(paginator),
            pages_seen: 0,
        }
    }

    /// Takes one page; returns the document to print now when the format
    /// prints pages as they come. `non_aggregate` is the first page's
    /// non-aggregate part ([`Pages::non_aggregate`]).
    pub fn page(&mut self, mut page: Value, non_aggregate: &Value) -> Option<Value> {
        let index = self.pages_seen;
        self.pages_seen += 1;
        match self.paging {
            Paging::RawPages => Some(page),
            Paging::Merged => {
                self.merger.add_page(page);
                None
            }
            Paging::TextPages => {
                // aws's TextFormatter: the first page with the non-aggregate
                // keys, each page with its result keys.
                let mut current = if index == 0 {
                    non_aggregate.clone()
                } else {
                    Value::Object(Map::new())
                };
                let keys = self.paginator.result_keys;
                for key in keys {
                    // Moved out of the page, not copied: the page is ours,
                    // and a result list can be most of the process's memory.
                    // (A key inside or around another result key is copied,
                    // so that the other one is still found whole.)
                    let nested = |inner: &str, outer: &str| {
                        inner
                            .strip_prefix(outer)
                            .is_some_and(|r| r.starts_with('.'))
                    };
                    let overlaps = keys
                        .iter()
                        .any(|other| nested(key, other) || nested(other, key));
                    let v = if overlaps {
                        search(&page, key).cloned()
                    } else {
                        take(&mut page, key)
                    };
                    set_path(&mut current, key, v.unwrap_or(Value::Null));
                }
                Some(current)
            }
        }
    }

    /// Ends the listing: the document left to print, if any (the merged
    /// result; for text, the `NextToken` row when the listing was cut).
    pub fn finish(self, non_aggregate: &Value, resume_token: Option<&str>) -> Option<Value> {
        match self.paging {
            Paging::RawPages => None,
            Paging::Merged => Some(self.merger.finish(non_aggregate, resume_token)),
            Paging::TextPages => resume_token.map(|token| {
                let mut inner = Map::new();
                inner.insert("NextToken".into(), Value::String(token.into()));
                let mut outer = Map::new();
                outer.insert("NextToken".into(), Value::Object(inner));
                Value::Object(outer)
            }),
        }
    }
}

impl Collector {
    /// Takes one page and prints what is due now on `out` (`last`: no page
    /// follows and the process ends after printing, so what is printed is
    /// not freed; see [`crate::output::release_at_exit`]).
    pub fn print_page<W: std::io::Write>(
        &mut self,
        out: &mut crate::output::Output<W>,
        page: Value,
        non_aggregate: &Value,
        last: bool,
    ) -> Result<(), Error> {
        let Some(document) = self.page(page, non_aggregate) else {
            return Ok(());
        };
        let printed = out.stream(&document);
        if last {
            crate::output::release_at_exit(document);
        }
        printed
    }

    /// Ends the listing on `out`: the merged result, or what a streamed
    /// format prints last (`exiting`: the process ends after printing, so
    /// it is not freed).
    pub fn print_end<W: std::io::Write>(
        self,
        out: &mut crate::output::Output<W>,
        non_aggregate: &Value,
        resume_token: Option<&str>,
        exiting: bool,
    ) -> Result<(), Error> {
        let merged = self.paging == Paging::Merged;
        let Some(document) = self.finish(non_aggregate, resume_token) else {
            return Ok(());
        };
        let printed = if merged {
            out.response(&document)
        } else {
            out.stream(&document)
        };
        if exiting {
            crate::output::release_at_exit(document);
        }
        printed
    }
}

/// Merges pages under the paginator's result keys, as aws's buffered
/// formatters print them.
pub struct Merger {
    result_keys: &'static [&'static str],
    complete: Value,
}

impl Merger {
    pub fn new(paginator: &'static Paginator) -> Merger {
        Merger {
            result_keys: paginator.result_keys,
            complete: Value::Object(Map::new()),
        }
    }

    pub fn add_page(&mut self, mut page: Value) {
        for key in self.result_keys {
            let Some(value) = search_mut(&mut page, key).map(Value::take) else {
                continue;
            };
            match search_mut(&mut self.complete, key) {
                None => set_path(&mut self.complete, key, value),
                Some(existing) => match (existing, value) {
                    (Value::Array(a), Value::Array(b)) => a.extend(b),
                    (Value::String(a), Value::String(b)) => a.push_str(&b),
                    (e @ Value::Number(_), Value::Number(b)) => {
                        let sum = match (e.as_i64(), b.as_i64()) {
                            (Some(x), Some(y)) => Value::from(x.saturating_add(y)),
                            _ => serde_json::Number::from_f64(
                                e.as_f64().unwrap_or(0.0) + b.as_f64().unwrap_or(0.0),
                            )
                            .map(Value::Number)
                            .unwrap_or(Value::Null),
                        };
                        *e = sum;
                    }
                    _ => {}
                },
            }
        }
    }

    /// The merged result: the non-aggregate keys merged in (botocore's
    /// `merge_dicts`) and `NextToken` last.
    pub fn finish(mut self, non_aggregate: &Value, resume_token: Option<&str>) -> Value {
        merge_dicts(&mut self.complete, non_aggregate, "", self.result_keys);
        if let (Some(token), Value::Object(map)) = (resume_token, &mut self.complete) {
            map.insert("NextToken".into(), Value::String(token.to_string()));
        }
        self.complete
    }
}

/// botocore's `merge_dicts`. In Python the first page's result lists are the
/// very lists the merge extended, so writing them back changes nothing: a
/// list at a result key's path keeps the merged value.
fn merge_dicts(into: &mut Value, from: &Value, prefix: &str, result_keys: &[&str]) {
    let (Value::Object(dst), Value::Object(src)) = (into, from) else {
        return;
    };
    for (k, v) in src {
        let path = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            Value::Object(_) if dst.get(k).is_some_and(Value::is_object) => {
                if let Some(d) = dst.get_mut(k) {
                    merge_dicts(d, v, &path, result_keys);
                }
            }
            Value::Array(_)
                if result_keys.contains(&path.as_str())
                    && dst.get(k).is_some_and(Value::is_array) => {}
            _ => {
                dst.insert(k.clone(), v.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    static LIST: Paginator = Paginator {
        input_token: &["nextToken"],
        output_token: &["nextToken"],
        limit_key: Some("maxResults"),
        result_keys: &["imageIds"],
        non_aggregate_keys: &[],
        more_results: None,
    };

    static SCAN: Paginator = Paginator {
        input_token: &["nextToken"],
        output_token: &["nextToken"],
        limit_key: Some("maxResults"),
        result_keys: &["f.findings", "f.enhanced"],
        non_aggregate_keys: &["registryId", "status", "f"],
        more_results: None,
    };

    fn pages() -> Vec<Value> {
        vec![
            json!({"imageIds": [1, 2], "nextToken": "p2"}),
            json!({"imageIds": [3, 4], "nextToken": "p3"}),
            json!({"imageIds": [5]}),
        ]
    }

    /// Runs a paginator over canned pages chosen by the request's token.
    fn run(
        p: &'static Paginator,
        canned: &[Value],
        opts: PageOptions,
    ) -> (Vec<Value>, Value, Vec<Value>) {
        let mut pages = Pages::new(p, json!({"repositoryName": "r"}), &opts).expect("options");
        let mut merger = Merger::new(p);
        let mut seen = Vec::new();
        let mut requests = Vec::new();
        while let Some(req) = pages.request() {
            requests.push(req.clone());
            let idx = match req.get("nextToken").and_then(Value::as_str) {
                None => 0,
                Some(t) => t[1..].parse::<usize>().expect("token") - 1,
            };
            let page = pages.accept(canned[idx].clone()).expect("page");
            seen.push(page.clone());
            merger.add_page(page);
        }
        let merged = merger.finish(&pages.non_aggregate().clone(), pages.resume_token());
        (seen, merged, requests)
    }

    #[test]
    fn follows_tokens_and_merges() {
        let (seen, merged, requests) = run(&LIST, &pages(), PageOptions::default());
        assert_eq!(seen.len(), 3);
        assert_eq!(merged, json!({"imageIds": [1, 2, 3, 4, 5]}));
        assert_eq!(
            requests[1],
            json!({"repositoryName": "r", "nextToken": "p2"})
        );
    }

    #[test]
    fn max_items_on_a_page_boundary_and_inside() {
        let opts = PageOptions {
            max_items: Some(2),
            ..Default::default()
        };
        let (_, merged, _) = run(&LIST, &pages(), opts);
        assert_eq!(
            merged,
            json!({"imageIds": [1, 2], "NextToken": "eyJuZXh0VG9rZW4iOiAicDIifQ=="})
        );
        let opts = PageOptions {
            max_items: Some(3),
            ..Default::default()
        };
        let (_, merged, _) = run(&LIST, &pages(), opts);
        // {"nextToken": "p2", "boto_truncate_amount": 1}
        assert_eq!(
            merged["NextToken"],
            json!(encode_token(
                &json!({"nextToken": "p2", "boto_truncate_amount": 1})
                    .as_object()
                    .cloned()
                    .expect("object")
            ))
        );
        assert_eq!(merged["imageIds"], json!([1, 2, 3]));
    }

    #[test]
    fn starting_token_resumes_inside_a_page() {
        let token = encode_token(
            json!({"nextToken": "p2", "boto_truncate_amount": 1})
                .as_object()
                .expect("object"),
        );
        let opts = PageOptions {
            starting_token: Some(token),
            ..Default::default()
        };
        let (_, merged, requests) = run(&LIST, &pages(), opts);
        assert_eq!(merged, json!({"imageIds": [4, 5]}));
        assert_eq!(
            requests[0],
            json!({"repositoryName": "r", "nextToken": "p2"})
        );
        // The service's own token and the old `___` form work too.
        let opts = PageOptions {
            starting_token: Some("p2___1".into()),
            ..Default::default()
        };
        assert_eq!(run(&LIST, &pages(), opts).1, json!({"imageIds": [4, 5]}));
        let opts = PageOptions {
            starting_token: Some("p2".into()),
            page_size: Some(2),
            ..Default::default()
        };
        let (_, merged, requests) = run(&LIST, &pages(), opts);
        assert_eq!(merged, json!({"imageIds": [3, 4, 5]}));
        assert_eq!(requests[0]["maxResults"], json!(2));
    }

    #[test]
    fn token_bytes_match_python() {
        let t = json!({"nextToken": null, "boto_truncate_amount": 3});
        assert_eq!(
            encode_token(t.as_object().expect("object")),
            "eyJuZXh0VG9rZW4iOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAzfQ=="
        );
    }

    #[test]
    fn nested_result_keys_and_non_aggregate_keys() {
        let canned = vec![
            json!({"registryId": "1", "f": {"at": "t", "findings": [1, 2]}, "nextToken": "p2"}),
            json!({"registryId": "1", "f": {"findings": [3], "enhanced": [9]}}),
        ];
        let (_, merged, _) = run(&SCAN, &canned, PageOptions::default());
        assert_eq!(
            serde_json::to_string(&merged).expect("json"),
            r#"{"f":{"findings":[1,2,3],"enhanced":[9],"at":"t"},"registryId":"1","status":null}"#
        );
    }
}
