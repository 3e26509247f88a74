//! AGE arguments (`30d`, `12h`, `90m`, `45s`, `2w`) for `--older-than` and
//! `--newer-than`: a whole number and one unit letter, read into seconds.
//!
//! Kept apart from the commands because the command line checks AGE values
//! while parsing (a bad one is a usage error, 252, before anything is sent)
//! and `cargo xtask` compiles the command line in.

/// Seconds in an AGE given as `<number><unit>`, units `s`, `m`, `h`, `d`,
/// `w`. The message of the error is argparse-like, for a usage error.
pub fn parse_age(flag: &str, text: &str) -> Result<u64, String> {
    let invalid = || {
        format!(
            "argument {flag}: invalid age: '{text}' (expected a number and a unit: 45s, 90m, 12h, 30d, 2w)"
        )
    };
    let text_trimmed = text.trim();
    let unit = text_trimmed.chars().last().ok_or_else(invalid)?;
    let seconds_per_unit: u64 = match unit.to_ascii_lowercase() {
        's' => 1,
        'm' => 60,
        'h' => 3600,
        'd' => 86_400,
        'w' => 7 * 86_400,
        _ => return Err(invalid()),
    };
    let number = &text_trimmed[..text_trimmed.len() - unit.len_utf8()];
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid());
    }
    number
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(seconds_per_unit))
        // Beyond any push time: a cutoff before the epoch.
        .filter(|s| *s <= 100 * 365 * 86_400)
        .ok_or_else(invalid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units() {
        assert_eq!(parse_age("--older-than", "30d"), Ok(30 * 86_400));
        assert_eq!(parse_age("--older-than", "12h"), Ok(12 * 3600));
        assert_eq!(parse_age("--older-than", "90m"), Ok(90 * 60));
        assert_eq!(parse_age("--older-than", "45s"), Ok(45));
        assert_eq!(parse_age("--older-than", "2w"), Ok(14 * 86_400));
        assert_eq!(parse_age("--older-than", "0d"), Ok(0));
        assert_eq!(parse_age("--older-than", " 7D "), Ok(7 * 86_400));
    }

    #[test]
    fn bad_ages_name_the_flag() {
        for bad in [
            "",
            "d",
            "30",
            "30x",
            "-3d",
            "3.5d",
            "1e3d",
            "30 d",
            "３d",
            "99999999999999999999d",
            "40000d",
        ] {
            let e = parse_age("--newer-than", bad).unwrap_err();
            assert!(
                e.starts_with("argument --newer-than: invalid age: "),
                "{bad}: {e}"
            );
        }
    }
}
