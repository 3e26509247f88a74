//! Running one model operation: the run's settings (resolved once, see
//! `crate::settings`), the input document, pagination, the calls, and
//! printing, all driven by the model.

use crate::cli::OperationCall;
use crate::error::Error;
use crate::settings::{OutputSettings, Settings};
use crate::{output, pager, paginate, params, session};

pub fn run(call: &OperationCall, args: &[String]) -> Result<(), Error> {
    let settings = Settings::resolve(&call.globals);
    let binary = settings.binary_format()?;
    if let Some(skeleton) = params::skeleton::requested(call, binary)? {
        let OutputSettings { format, .. } = settings.output()?;
        return print_skeleton(call, format, &skeleton);
    }
    // aws creates the client (region, endpoint, timeouts) before it
    // formats anything.
    settings.check_client()?;
    let OutputSettings { format, query } = settings.output()?;
    let paging = paging_options(call, settings.no_paginate)?;
    if paging.is_some() {
        // aws's paginated path builds its formatter before it validates the
        // input or looks for credentials (a configured `csv` fails first).
        format.check()?;
    }
    let page_limit = match (&call.operation.paginator, &paging) {
        (Some(p), Some(options)) => p.limit_key.zip(options.page_size),
        _ => None,
    };
    let input = params::build_and_validate_paged(call, binary, page_limit)?;
    session::with_client(&settings, call.service, args, async |client| {
        pager::start(settings.pager.as_deref());
        let mut out = output::Output::stdout(format, query, call.operation.name);
        let printed = async {
            match (&call.operation.paginator, paging) {
                (Some(paginator), Some(options)) => {
                    // aws builds its formatter before it walks the pages.
                    format.check()?;
                    let mut pages = paginate::Pages::new(paginator, input, &options)?;
                    let mut collector = paginate::Collector::new(paginator, out.paging());
                    while let Some(request) = pages.request() {
                        let request = request.clone();
                        let response = client.call(call.operation, &request).await?;
                        let page = pages.accept(response)?;
                        let last = pages.request().is_none();
                        collector.print_page(&mut out, page, pages.non_aggregate(), last)?;
                    }
                    collector.print_end(&mut out, pages.non_aggregate(), pages.resume_token(), true)
                }
                _ => {
                    let response = client.call(call.operation, &input).await?;
                    let printed = out.response(&response);
                    output::release_at_exit(response);
                    printed
                }
            }
        }
        .await
        .and_then(|()| out.flush());
        pager::finish();
        printed
    })
}

/// Prints a `--generate-cli-skeleton` document: the input ones as they
/// are, the output one in the chosen format.
fn print_skeleton(
    call: &OperationCall,
    format: output::Format,
    skeleton: &params::skeleton::Skeleton,
) -> Result<(), Error> {
    use params::skeleton::Skeleton;
    match skeleton {
        Skeleton::InputJson(document) => {
            let mut text = Vec::new();
            // Writing to memory cannot fail.
            let _ = output::json::write_json(&mut text, document);
            output::print_bytes(&text)
        }
        Skeleton::InputYaml(text) => output::print_bytes(text.as_bytes()),
        Skeleton::Output(response) => {
            let mut out = output::Output::stdout(format, None, call.operation.name);
            out.response(response)?;
            out.flush()
        }
    }
}

/// aws's paging rules: `None` for one plain call (no paginator,
/// `--no-paginate`, or the input token / limit member given by hand, which
/// turns paging off as in aws), else the paging options.
fn paging_options(
    call: &OperationCall,
    no_paginate: bool,
) -> Result<Option<paginate::PageOptions>, Error> {
    let Some(paginator) = &call.operation.paginator else {
        return Ok(None);
    };
    let int =
        |flag: &str, v: &Option<String>| -> Result<Option<i64>, Error> {
            match v {
                None => Ok(None),
                Some(s) => s.trim().parse::<i64>().map(Some).map_err(|_| {
                    Error::usage(format!("argument {flag}: invalid int value: '{s}'"))
                }),
            }
        };
    let page_size = int("--page-size", &call.page_size)?;
    let max_items = int("--max-items", &call.max_items)?;
    let by_hand = call.members.iter().any(|(m, _)| {
        paginator.input_token.contains(&m.name) || paginator.limit_key == Some(m.name)
    });
    if no_paginate || by_hand {
        let used: Vec<&str> = [
            ("--starting-token", call.starting_token.is_some()),
            ("--page-size", page_size.is_some_and(|n| n != 0)),
            ("--max-items", max_items.is_some_and(|n| n != 0)),
        ]
        .iter()
        .filter(|(_, given)| *given)
        .map(|(name, _)| *name)
        .collect();
        if !used.is_empty() {
            // aws v2's words and code (v1 said "Error during pagination", 255).
            return Err(Error::Client {
                code: "ParamValidation",
                message: format!(
                    "Cannot specify --no-paginate along with pagination arguments: {}",
                    used.join(", ")
                ),
                exit: 252,
            });
        }
        return Ok(None);
    }
    if max_items.is_some_and(|n| n <= 0) {
        eprintln!("warning: Non-positive values for --max-items may result in undefined behavior.");
    }
    Ok(Some(paginate::PageOptions {
        starting_token: call.starting_token.clone(),
        page_size,
        max_items,
    }))
}
