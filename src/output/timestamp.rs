//! Timestamps as aws v2 prints and reads them.
//!
//! Output: ISO 8601 in the local time zone (the `TZ` variable, else the
//! system's zone), microseconds only when non-zero, the offset of each
//! instant's own zone rules (`2024-05-31T12:10:00-04:00`); or, with
//! `cli_timestamp_format = wire`, the wire's epoch seconds as a number.
//! Input: ISO 8601 strings (with or without offset, date only) and epoch
//! seconds, as botocore accepts them.

use std::sync::OnceLock;

use aws_smithy_types::DateTime;
use serde_json::Value;

/// How timestamps in responses are printed (`cli_timestamp_format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    Iso8601,
    Wire,
}

static FORMAT: OnceLock<TimestampFormat> = OnceLock::new();
static ZONE: OnceLock<jiff::tz::TimeZone> = OnceLock::new();

/// Chooses the format for the whole run; the first call wins.
pub fn set_format(format: TimestampFormat) {
    let _ = FORMAT.set(format);
}

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

/// A response timestamp as the JSON value aws prints for it.
pub fn to_value(t: &DateTime) -> Value {
    match FORMAT.get().copied().unwrap_or(TimestampFormat::Iso8601) {
        TimestampFormat::Wire => serde_json::Number::from_f64(t.as_secs_f64())
            .map(Value::Number)
            .unwrap_or(Value::Null),
        TimestampFormat::Iso8601 => Value::String(iso8601(t.secs(), t.subsec_nanos(), zone())),
    }
}

/// `secs` + `nanos` since the epoch, rounded to the microsecond as Python's
/// datetime does, in `zone`, in Python's `isoformat()`.
pub fn iso8601(secs: i64, nanos: u32, zone: &jiff::tz::TimeZone) -> String {
    let mut micros = (u64::from(nanos) + 500) / 1000;
    let mut secs = secs;
    if micros >= 1_000_000 {
        micros -= 1_000_000;
        secs += 1;
    }
    let Ok(ts) = jiff::Timestamp::new(secs, (micros * 1000) as i32) else {
        return format!("{secs}");
    };
    let zoned = ts.to_zoned(zone.clone());
    let dt = zoned.datetime();
    let mut s = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    );
    if micros != 0 {
        s.push_str(&format!(".{micros:06}"));
    }
    let offset = zoned.offset().seconds();
    let sign = if offset < 0 { '-' } else { '+' };
    let abs = offset.unsigned_abs();
    s.push_str(&format!("{sign}{:02}:{:02}", abs / 3600, (abs % 3600) / 60));
    if abs % 60 != 0 {
        s.push_str(&format!(":{:02}", abs % 60));
    }
    s
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
        assert_eq!(
            parse_input("1717171800").map(|t| t.secs()),
            Some(1717171800)
        );
        assert_eq!(
            parse_input("2024-05-31T16:10:00Z").map(|t| t.secs()),
            Some(1717171800)
        );
        assert_eq!(
            parse_input("2024-05-31T16:10:00").map(|t| t.secs()),
            Some(1717171800)
        );
        assert_eq!(
            parse_input("2024-05-31").map(|t| t.secs()),
            Some(1717113600)
        );
        assert!(parse_input("yesterday").is_none());
    }
}
