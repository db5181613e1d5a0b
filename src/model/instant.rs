//! Reading stored instants fast. chrono's RFC 3339 parser handles every
//! form the standard allows and costs ~1,300 instructions an instant; the
//! files minutes writes use one form (`2024-09-26T16:00:01+02:00`), read
//! here with chrono's constructors doing the checking. Anything else falls
//! back to chrono, which also words the errors.

use super::Instant;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone};
use serde::{Deserialize, Deserializer};

pub fn parse(text: &str) -> Result<Instant, chrono::ParseError> {
    fast(text.as_bytes()).map_or_else(|| DateTime::parse_from_rfc3339(text), Ok)
}

fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |n, &c| {
        c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
    })
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, or None.
fn fast(b: &[u8]) -> Option<Instant> {
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(
        digits(&b[0..4])? as i32,
        digits(&b[5..7])?,
        digits(&b[8..10])?,
    )?;
    let mut rest = &b[19..];
    let mut nanos = 0;
    if let Some(fraction) = rest.strip_prefix(b".") {
        let len = fraction.iter().take_while(|c| c.is_ascii_digit()).count();
        if len == 0 || len > 9 {
            return None;
        }
        nanos = digits(&fraction[..len])? * 10u32.pow(9 - len as u32);
        rest = &fraction[len..];
    }
    // Leap seconds and other rarities are chrono's to read.
    let time = NaiveTime::from_hms_nano_opt(
        digits(&b[11..13])?,
        digits(&b[14..16])?,
        digits(&b[17..19])?,
        nanos,
    )?;
    let offset_seconds = match rest {
        b"Z" => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let (hours, minutes) = (digits(&[*h1, *h2])?, digits(&[*m1, *m2])?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            let seconds = (hours * 3600 + minutes * 60) as i32;
            if *sign == b'-' { -seconds } else { seconds }
        }
        _ => return None,
    };
    FixedOffset::east_opt(offset_seconds)?
        .from_local_datetime(&date.and_time(time))
        .single()
}

/// For `#[serde(deserialize_with)]` on an instant field.
pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Instant, D::Error> {
    let text = <std::borrow::Cow<str>>::deserialize(deserializer)?;
    parse(&text).map_err(serde::de::Error::custom)
}

/// For `#[serde(deserialize_with)]` on an optional instant field.
pub fn deserialize_option<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Instant>, D::Error> {
    let text = <Option<std::borrow::Cow<str>>>::deserialize(deserializer)?;
    text.map(|t| parse(&t).map_err(serde::de::Error::custom))
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_what_minutes_writes_and_falls_back_for_the_rest() {
        for text in [
            "2024-09-26T16:00:01+02:00",
            "2024-09-26T14:00:00Z",
            "2024-12-31T23:59:59.123456789-05:30",
            "2024-02-29T00:00:00.5+14:00",
            "2024-09-26t14:00:00z",
            "2024-09-26 14:00:00+00:00",
            "2016-12-31T23:59:60Z",
            // Once found by the property test below: a minute of 60 in the offset.
            "0000-01-10T00:00:00-00:60",
        ] {
            assert_eq!(
                parse(text).ok(),
                DateTime::parse_from_rfc3339(text).ok(),
                "{text}"
            );
        }
        for bad in [
            "2024-02-30T00:00:00Z",
            "2024-09-26T25:00:00Z",
            "2024-09-26T14:00:00+2:00",
            "2024-09-26",
            "yesterday",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn agrees_with_chrono(text in r"[0-9]{4}-[0-1][0-9]-[0-3][0-9][Tt ][0-2][0-9]:[0-6][0-9]:[0-6][0-9](\.[0-9]{1,10})?(Z|z|[+-][0-2][0-9]:[0-6][0-9])") {
            prop_assert_eq!(parse(&text).ok(), DateTime::parse_from_rfc3339(&text).ok());
        }

        #[test]
        fn round_trips_every_instant(seconds in 0i64..4_000_000_000, nanos in 0u32..1_000_000_000, offset in -50_000i32..50_000) {
            let offset = FixedOffset::east_opt(offset / 60 * 60).unwrap();
            let at = DateTime::from_timestamp(seconds, nanos).unwrap().with_timezone(&offset);
            let text = at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true);
            prop_assert_eq!(parse(&text).unwrap(), at);
        }
    }
}
