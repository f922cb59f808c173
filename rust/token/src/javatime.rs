//! Java's `DateTimeFormatter.ISO_DATE_TIME` for an `OffsetDateTime` at UTC, which hadoop-aws
//! uses to print credential expiry: `2023-11-14T23:13:20Z`, fraction digits only when non-zero
//! (trailing zeros dropped), years past 9999 with a `+`.

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Format epoch milliseconds as Java's `ISO_DATE_TIME` of `OffsetDateTime` at `ZoneOffset.UTC`.
pub fn iso_date_time_utc(epoch_millis: i64) -> String {
    let secs = epoch_millis.div_euclid(1000);
    let millis = epoch_millis.rem_euclid(1000);
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    let (y, mo, d) = civil_from_days(days);
    let year = if y > 9999 {
        format!("+{y}")
    } else if y < 0 {
        format!("-{:04}", -y)
    } else {
        format!("{y:04}")
    };
    let mut out = format!(
        "{year}-{mo:02}-{d:02}T{:02}:{:02}:{:02}",
        sod / 3600,
        (sod / 60) % 60,
        sod % 60
    );
    if millis != 0 {
        let frac = format!("{millis:03}");
        out.push('.');
        out.push_str(frac.trim_end_matches('0'));
    }
    out.push('Z');
    out
}

#[cfg(test)]
mod tests {
    use super::iso_date_time_utc;

    #[test]
    fn formats_like_java() {
        assert_eq!(iso_date_time_utc(1700003600000), "2023-11-14T23:13:20Z");
        assert_eq!(iso_date_time_utc(1700003600120), "2023-11-14T23:13:20.12Z");
        assert_eq!(iso_date_time_utc(1), "1970-01-01T00:00:00.001Z");
        assert_eq!(iso_date_time_utc(-1), "1969-12-31T23:59:59.999Z");
        assert_eq!(iso_date_time_utc(951782400000), "2000-02-29T00:00:00Z");
        assert_eq!(iso_date_time_utc(253402300800000), "+10000-01-01T00:00:00Z");
    }
}

/// Java's `Instant.toString()` (`ISO_INSTANT`) for nanoseconds since the epoch: the fraction in
/// groups of three digits, none when zero.
pub fn iso_instant(epoch_nanos: i128) -> String {
    let secs = epoch_nanos.div_euclid(1_000_000_000) as i64;
    let nanos = epoch_nanos.rem_euclid(1_000_000_000) as u32;
    let base = iso_date_time_utc(secs * 1000);
    let base = base.trim_end_matches('Z');
    let frac = if nanos == 0 {
        String::new()
    } else if nanos.is_multiple_of(1_000_000) {
        format!(".{:03}", nanos / 1_000_000)
    } else if nanos.is_multiple_of(1_000) {
        format!(".{:06}", nanos / 1_000)
    } else {
        format!(".{nanos:09}")
    };
    format!("{base}{frac}Z")
}

#[cfg(test)]
mod instant_tests {
    #[test]
    fn instant_groups_fraction_digits_by_three() {
        for (nanos, want) in [
            (1_700_000_000_000_000_000, "2023-11-14T22:13:20Z"),
            (1_700_000_000_120_000_000, "2023-11-14T22:13:20.120Z"),
            (1_700_000_000_123_456_000, "2023-11-14T22:13:20.123456Z"),
            (1_700_000_000_123_456_789, "2023-11-14T22:13:20.123456789Z"),
        ] {
            assert_eq!(super::iso_instant(nanos), want);
        }
    }
}
