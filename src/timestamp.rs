//! Timestamps as aws v2 prints and reads them, at the bottom of the layers:
//! the response reader turns the body's timestamps into what aws prints,
//! and the input side reads the ones the user gives.
//!
//! Printed: ISO 8601 in the local time zone (the `TZ` variable, else the
//! system's zone), microseconds only when non-zero, the offset of each
//! instant's own zone rules (`2024-05-31T12:10:00-04:00`); or, with
//! `cli_timestamp_format = wire`, the wire's epoch seconds as a number.
//! Input: ISO 8601 strings (with or without offset, date only) and epoch
//! seconds, as botocore accepts them.

use std::sync::OnceLock;

use aws_smithy_types::DateTime;
use serde_json::Value;

/// How timestamps in responses are printed (`cli_timestamp_format`, chosen
/// by `crate::settings` and carried by the service client: no global).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    Iso8601,
    Wire,
}

static ZONE: OnceLock<jiff::tz::TimeZone> = OnceLock::new();

fn zone() -> &'static jiff::tz::TimeZone {
    ZONE.get_or_init(|| {
        localtime_zone()
            .or_else(|| jiff::tz::TimeZone::try_system().ok())
            .unwrap_or(jiff::tz::TimeZone::UTC)
    })
}

/// The system zone read straight from the file `/etc/localtime` names, when
/// `TZ` is unset. jiff's `try_system` finds the same file but first lists
/// the whole zoneinfo tree (some 60 directories, as long as the rest of a
/// small call's output) to build its name index; only the offsets matter
/// here. `None` sends every other case (TZ set, no symlink) to jiff.
fn localtime_zone() -> Option<jiff::tz::TimeZone> {
    if std::env::var_os("TZ").is_some() {
        return None;
    }
    let target = std::fs::read_link("/etc/localtime").ok()?;
    let target = target.to_str()?;
    let name = &target[target.rfind("zoneinfo/")? + "zoneinfo/".len()..];
    // A relative link is relative to /etc.
    let path = if target.starts_with('/') {
        std::path::PathBuf::from(target)
    } else {
        std::path::Path::new("/etc").join(target)
    };
    let data = std::fs::read(path).ok()?;
    jiff::tz::TimeZone::tzif(name, &data).ok()
}

/// A timestamp as the response body wrote it, turned into what aws prints:
/// with `wire`, the body's own value (`0` stays `0`); with iso8601, what
/// botocore's `parse_timestamp(value).isoformat()` gives: epoch seconds
/// (integers, floats or numeric strings) in the local zone, an ISO 8601
/// string in its own offset. An instant outside the years 1 to 9999 (where
/// Python's datetime gives up) is botocore's `Unable to calculate correct
/// timezone offset` error, which aws prints alone ([`TimestampError::Range`]);
/// text that is no timestamp is botocore's `Invalid timestamp`.
pub fn from_wire(value: Value, format: TimestampFormat) -> Result<Value, TimestampError> {
    if format == TimestampFormat::Wire {
        return Ok(value);
    }
    let epoch = match &value {
        Value::Number(n) => match n.as_i64() {
            Some(secs) => Some((secs, 0)),
            None => n.as_f64().and_then(python_seconds),
        },
        Value::String(s) => match s.trim().parse::<f64>() {
            Ok(f) => python_seconds(f),
            Err(_) => {
                return iso_text(s)
                    .map(Value::String)
                    .map_err(TimestampError::Invalid);
            }
        },
        _ => {
            return Err(TimestampError::Invalid(
                "Invalid timestamp: not a number or a string".into(),
            ));
        }
    };
    match epoch.and_then(|(secs, micros)| iso8601_micros(secs, micros, zone())) {
        Some(text) => Ok(Value::String(text)),
        None => {
            let shown = match &value {
                Value::String(s) => s.clone(),
                Value::Number(n) => crate::python::number_str(n),
                other => other.to_string(),
            };
            Err(TimestampError::Range(format!(
                "Unable to calculate correct timezone offset for \"{shown}\""
            )))
        }
    }
}

/// Why a response timestamp cannot be printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimestampError {
    /// No datetime of Python's holds it: aws's whole message.
    Range(String),
    /// Not a timestamp at all.
    Invalid(String),
}

/// An ISO 8601 timestamp string as Python's `isoformat()` writes it back,
/// in the offset it was written with (none when it had none).
fn iso_text(s: &str) -> Result<String, String> {
    use jiff::fmt::temporal::{Pieces, PiecesOffset};
    // The text is not quoted: it came from the response and may be a token.
    let invalid = || "Invalid timestamp: not a number or an ISO 8601 date".to_string();
    let pieces = Pieces::parse(s.trim()).map_err(|_| invalid())?;
    let date = pieces.date();
    let time = pieces.time().unwrap_or_default();
    // Python's datetime holds the years 1 to 9999 only.
    let year = u32::try_from(date.year()).map_err(|_| invalid())?;
    if year == 0 {
        return Err(invalid());
    }
    let part = |n: i8| u32::try_from(n).unwrap_or(0);
    let second_of_day = part(time.hour()) * 3600 + part(time.minute()) * 60 + part(time.second());
    let micros = u32::try_from(time.subsec_nanosecond() / 1000).unwrap_or(0);
    let offset = match pieces.offset() {
        Some(PiecesOffset::Zulu) => Some(0),
        Some(PiecesOffset::Numeric(n)) => Some(i64::from(n.offset().seconds())),
        _ => None,
    };
    Ok(isoformat(
        [year, part(date.month()), part(date.day())],
        second_of_day,
        micros,
        offset,
    ))
}

/// Float epoch seconds split as CPython's `datetime.fromtimestamp` does:
/// the fraction rounded half-to-even to the microsecond.
fn python_seconds(f: f64) -> Option<(i64, u32)> {
    if !f.is_finite() {
        return None;
    }
    let mut int = f.trunc();
    let mut micros = ((f - int) * 1e6).round_ties_even();
    if micros >= 1e6 {
        micros -= 1e6;
        int += 1.0;
    } else if micros < 0.0 {
        micros += 1e6;
        int -= 1.0;
    }
    // Beyond about ±2.9e11 s no year fits Python's datetime anyway.
    if int.abs() > 1e15 {
        return None;
    }
    Some((int as i64, micros as u32))
}

/// `secs` + `nanos` since the epoch, rounded to the microsecond as Python's
/// datetime does, in `zone`, in Python's `isoformat()`; raw seconds when
/// the year is outside 1 to 9999.
#[cfg(test)]
fn iso8601(secs: i64, nanos: u32, zone: &jiff::tz::TimeZone) -> String {
    let mut micros = (nanos + 500) / 1000;
    let mut secs = secs;
    if micros >= 1_000_000 {
        micros -= 1_000_000;
        secs += 1;
    }
    iso8601_micros(secs, micros, zone).unwrap_or_else(|| format!("{secs}"))
}

/// Python's `datetime.fromtimestamp(t, zone).isoformat()`, for every year
/// Python's datetime covers (1 to 9999), `None` outside. The civil date is
/// computed here rather than by jiff, whose range stops a day short of
/// 10000-01-01 UTC so as to fit every offset.
fn iso8601_micros(secs: i64, micros: u32, zone: &jiff::tz::TimeZone) -> Option<String> {
    // Python computes the UTC date first, then the local one: both must fit.
    let (utc_year, _, _) = civil_from_days(secs.div_euclid(86_400));
    let offset = offset_at(secs, zone);
    let local = secs.checked_add(offset)?;
    let (year, month, day) = civil_from_days(local.div_euclid(86_400));
    if !(1..=9999).contains(&year) || !(1..=9999).contains(&utc_year) {
        return None;
    }
    let second_of_day = local.rem_euclid(86_400);
    Some(isoformat(
        [year as u32, month, day],
        second_of_day as u32,
        micros,
        Some(offset),
    ))
}

/// Python's `datetime.isoformat()`: `YYYY-MM-DDTHH:MM:SS`, `.ffffff` when
/// there are microseconds, then the UTC offset when the time has one
/// (`±HH:MM`, and `:SS` when it has seconds). Digits are pushed by hand
/// into one buffer: a large listing has a timestamp per item, and `write!`
/// with padding costs several times more.
fn isoformat(date: [u32; 3], second_of_day: u32, micros: u32, offset: Option<i64>) -> String {
    let [year, month, day] = date;
    let mut s = String::with_capacity(32);
    push_padded(&mut s, year, 4);
    s.push('-');
    push_padded(&mut s, month, 2);
    s.push('-');
    push_padded(&mut s, day, 2);
    s.push('T');
    push_clock(&mut s, second_of_day);
    if micros != 0 {
        s.push('.');
        push_padded(&mut s, micros, 6);
    }
    if let Some(offset) = offset {
        s.push(if offset < 0 { '-' } else { '+' });
        let abs = offset.unsigned_abs() as u32;
        push_padded(&mut s, abs / 3600, 2);
        s.push(':');
        push_padded(&mut s, (abs % 3600) / 60, 2);
        if !abs.is_multiple_of(60) {
            s.push(':');
            push_padded(&mut s, abs % 60, 2);
        }
    }
    s
}

/// `HH:MM:SS` of a second of the day.
fn push_clock(s: &mut String, second_of_day: u32) {
    push_padded(s, second_of_day / 3600, 2);
    s.push(':');
    push_padded(s, (second_of_day % 3600) / 60, 2);
    s.push(':');
    push_padded(s, second_of_day % 60, 2);
}

/// `value` in decimal, zero-padded to `width` digits (wider values whole).
fn push_padded(s: &mut String, value: u32, width: usize) {
    let mut digits = [b'0'; 10];
    let mut n = value;
    let mut len = 0;
    while n > 0 || len == 0 {
        digits[9 - len] = b'0' + (n % 10) as u8;
        n /= 10;
        len += 1;
    }
    for _ in len..width {
        s.push('0');
    }
    s.extend(digits[10 - len..].iter().map(|&d| char::from(d)));
}

/// The zone's UTC offset in seconds at `secs`. Instants past jiff's range
/// take the offset of the same instant 400 years nearer: the Gregorian
/// calendar, and so every zone rule written in it, repeats every 400 years.
fn offset_at(secs: i64, zone: &jiff::tz::TimeZone) -> i64 {
    const CYCLE: i64 = 146_097 * 86_400;
    let (min, max) = (
        jiff::Timestamp::MIN.as_second(),
        jiff::Timestamp::MAX.as_second(),
    );
    let mut probe = secs;
    while probe > max {
        probe -= CYCLE;
    }
    while probe < min {
        probe += CYCLE;
    }
    jiff::Timestamp::from_second(probe)
        .map(|t| i64::from(zone.to_offset(t).seconds()))
        .unwrap_or(0)
}

/// The proleptic Gregorian date of a day count from 1970-01-01 (Howard
/// Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// A timestamp given on the command line or in an input document.
pub fn parse_input(s: &str) -> Option<DateTime> {
    let s = s.trim();
    if let Ok(secs) = s.parse::<f64>() {
        return Some(DateTime::from_secs_f64(secs));
    }
    if let Ok(ts) = s.parse::<jiff::Timestamp>() {
        return Some(DateTime::from_secs_and_nanos(
            ts.as_second(),
            ts.subsec_nanosecond() as u32,
        ));
    }
    // Without an offset botocore reads the time as UTC (python-dateutil).
    if let Ok(dt) = s.parse::<jiff::civil::DateTime>() {
        let ts = dt.to_zoned(jiff::tz::TimeZone::UTC).ok()?.timestamp();
        return Some(DateTime::from_secs_and_nanos(
            ts.as_second(),
            ts.subsec_nanosecond() as u32,
        ));
    }
    if let Ok(d) = s.parse::<jiff::civil::Date>() {
        let ts = d.to_zoned(jiff::tz::TimeZone::UTC).ok()?.timestamp();
        return Some(DateTime::from_secs_and_nanos(ts.as_second(), 0));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padded_digits() {
        let mut s = String::new();
        for (value, width) in [
            (0, 2),
            (7, 2),
            (59, 2),
            (1, 4),
            (2024, 4),
            (12345, 4),
            (5, 6),
        ] {
            push_padded(&mut s, value, width);
            s.push(' ');
        }
        assert_eq!(s, "00 07 59 0001 2024 12345 000005 ");
    }

    #[test]
    fn utc_and_microseconds() {
        let utc = jiff::tz::TimeZone::UTC;
        assert_eq!(iso8601(1717171800, 0, &utc), "2024-05-31T16:10:00+00:00");
        let t = DateTime::from_secs_f64(1717171900.123456);
        assert_eq!(
            iso8601(t.secs(), t.subsec_nanos(), &utc),
            "2024-05-31T16:11:40.123456+00:00"
        );
        let t = DateTime::from_secs_f64(1717171717.25);
        assert_eq!(
            iso8601(t.secs(), t.subsec_nanos(), &utc),
            "2024-05-31T16:08:37.250000+00:00"
        );
    }

    #[test]
    fn wire_values_as_python_prints_them() {
        let utc = jiff::tz::TimeZone::UTC;
        let iso = |f: f64| python_seconds(f).and_then(|(s, m)| iso8601_micros(s, m, &utc));
        assert_eq!(iso(0.0).as_deref(), Some("1970-01-01T00:00:00+00:00"));
        assert_eq!(
            iso(-1.5).as_deref(),
            Some("1969-12-31T23:59:58.500000+00:00")
        );
        assert_eq!(
            iso(1717171900.123456).as_deref(),
            Some("2024-05-31T16:11:40.123456+00:00")
        );
        assert_eq!(
            iso(253402300799.0).as_deref(),
            Some("9999-12-31T23:59:59+00:00")
        );
        assert_eq!(iso(253402300800.0), None);
        assert_eq!(
            iso(-62135596800.0).as_deref(),
            Some("0001-01-01T00:00:00+00:00")
        );
        assert_eq!(iso(-62135596801.0), None);
        // Half-to-even at the microsecond, as CPython rounds.
        assert_eq!(python_seconds(0.0000005), Some((0, 0)));
        assert_eq!(python_seconds(0.0000015), Some((0, 2)));
        let ny = jiff::tz::TimeZone::get("America/New_York").expect("zone database");
        assert_eq!(
            iso8601_micros(253402300799, 0, &ny).as_deref(),
            Some("9999-12-31T18:59:59-05:00")
        );
        assert_eq!(
            iso8601_micros(253402318799, 0, &ny),
            None,
            "past 9999 in UTC, though not in New York"
        );
    }

    #[test]
    fn wire_format_keeps_the_body_value() {
        let wire = |v: Value| from_wire(v, TimestampFormat::Wire);
        assert_eq!(wire(serde_json::json!(0)), Ok(serde_json::json!(0)));
        assert_eq!(wire(serde_json::json!(1.5)), Ok(serde_json::json!(1.5)));
        let iso = |v: Value| from_wire(v, TimestampFormat::Iso8601);
        assert!(matches!(
            iso(serde_json::json!("yesterday")),
            Err(TimestampError::Invalid(_))
        ));
        assert_eq!(
            iso(serde_json::json!(253402300800_i64)),
            Err(TimestampError::Range(
                "Unable to calculate correct timezone offset for \"253402300800\"".into()
            ))
        );
        assert_eq!(
            iso(serde_json::json!("2024-05-31T16:10:00.5+02:00")),
            Ok(serde_json::json!("2024-05-31T16:10:00.500000+02:00"))
        );
        assert_eq!(
            iso(serde_json::json!("2024-05-31T16:10:00Z")),
            Ok(serde_json::json!("2024-05-31T16:10:00+00:00"))
        );
        // Naive text stays naive; Python's datetime has no year 0.
        assert_eq!(
            iso(serde_json::json!("2024-05-31T16:10:00")),
            Ok(serde_json::json!("2024-05-31T16:10:00"))
        );
        assert!(matches!(
            iso(serde_json::json!("0000-01-01T00:00:00")),
            Err(TimestampError::Invalid(_))
        ));
    }

    #[test]
    fn localtime_fast_path_agrees_with_jiff() {
        // Only meaningful where /etc/localtime is a zoneinfo symlink and TZ
        // is unset; elsewhere the fast path declines and jiff decides.
        let (Some(fast), Ok(jiff)) = (localtime_zone(), jiff::tz::TimeZone::try_system()) else {
            return;
        };
        for secs in [0, 1704067200, 1717171800, 1900000000] {
            assert_eq!(iso8601(secs, 0, &fast), iso8601(secs, 0, &jiff));
        }
    }

    #[test]
    fn zone_with_daylight_saving() {
        let ny = jiff::tz::TimeZone::get("America/New_York").expect("zone database");
        assert_eq!(iso8601(1717171800, 0, &ny), "2024-05-31T12:10:00-04:00");
        assert_eq!(iso8601(1704067200, 0, &ny), "2023-12-31T19:00:00-05:00");
        let kolkata = jiff::tz::TimeZone::get("Asia/Kolkata").expect("zone database");
        assert_eq!(
            iso8601(1717171800, 0, &kolkata),
            "2024-05-31T21:40:00+05:30"
        );
    }

    #[test]
    fn parses_input_forms() {
        for (text, secs) in [
            ("1717171800", 1717171800),
            ("2024-05-31T16:10:00Z", 1717171800),
            ("2024-05-31T16:10:00", 1717171800),
            ("2024-05-31", 1717113600),
        ] {
            assert_eq!(parse_input(text).map(|t| t.secs()), Some(secs), "{text}");
        }
        assert!(parse_input("yesterday").is_none());
    }
}
