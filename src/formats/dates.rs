//! French dates as transcript pages write them: `29/08/2025`, `2025-08-29`,
//! `Mardi 19 novembre 2024`, `le 1er août`, `Ce mardi 3 février`.
//!
//! chrono only knows English month names, so this is a small hand-written
//! scanner. A date written without its year is placed in the latest year not
//! after a reference date (normally today) in which it falls on the weekday
//! given, if one is given: pages say "Ce mardi 3 février" and mean the most
//! recent one. The reference is a parameter so that results are reproducible.

use chrono::{Datelike, NaiveDate, Weekday};

/// A date found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundDate {
    pub date: NaiveDate,
    /// Byte range of the date expression in the text.
    pub start: usize,
    pub end: usize,
    /// The year was not written and was inferred from the reference date.
    pub year_inferred: bool,
    /// Something doubtful, such as a weekday that does not match the date.
    pub warning: Option<String>,
}

/// Today's date on this machine, the usual reference for yearless dates.
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// The first date written in `text`, if any.
pub fn parse_date(text: &str, reference: NaiveDate) -> Option<NaiveDate> {
    find_date(text, reference).map(|f| f.date)
}

/// The earliest date expression in `text` that is a real calendar date.
pub fn find_date(text: &str, reference: NaiveDate) -> Option<FoundDate> {
    let mut best: Option<FoundDate> = None;
    let mut consider = |found: Option<FoundDate>| {
        if let Some(f) = found
            && best.as_ref().is_none_or(|b| f.start < b.start)
        {
            best = Some(f);
        }
    };
    consider(find_textual(text, reference));
    consider(find_iso(text));
    consider(find_numeric(text));
    best
}

impl FoundDate {
    /// A date written in full at `whole`.
    fn written(date: NaiveDate, whole: regex::Match<'_>) -> Self {
        Self {
            date,
            start: whole.start(),
            end: whole.end(),
            year_inferred: false,
            warning: None,
        }
    }
}

fn find_iso(text: &str) -> Option<FoundDate> {
    let re = crate::text::static_regex!(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b");
    re.captures_iter(text).find_map(|c| {
        let whole = c.get(0)?;
        let date = NaiveDate::from_ymd_opt(
            c.get(1)?.as_str().parse().ok()?,
            c.get(2)?.as_str().parse().ok()?,
            c.get(3)?.as_str().parse().ok()?,
        )?;
        Some(FoundDate::written(date, whole))
    })
}

fn find_numeric(text: &str) -> Option<FoundDate> {
    // French order: day, month, year.
    let re = crate::text::static_regex!(r"\b(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})\b");
    re.captures_iter(text).find_map(|c| {
        let whole = c.get(0)?;
        let year_text = c.get(3)?.as_str();
        let mut year: i32 = year_text.parse().ok()?;
        if year_text.len() == 2 {
            year += 2000;
        }
        let date = NaiveDate::from_ymd_opt(
            year,
            c.get(2)?.as_str().parse().ok()?,
            c.get(1)?.as_str().parse().ok()?,
        )?;
        Some(FoundDate::written(date, whole))
    })
}

fn find_textual(text: &str, reference: NaiveDate) -> Option<FoundDate> {
    let re = crate::text::static_regex!(
        r"(?i)\b(?:(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\.?,?\s+)?(1er|\d{1,2})(?:er|ème|eme|e)?\s+(janv(?:ier)?|f[ée]v(?:r(?:ier)?)?|mars|avr(?:il)?|mai|juin|juil(?:let)?|ao[uû]t|sept(?:embre)?|oct(?:obre)?|nov(?:embre)?|d[ée]c(?:embre)?)\b\.?(?:\s+(\d{4})\b)?"
    );
    re.captures_iter(text).find_map(|c| {
        let whole = c.get(0)?;
        let weekday = c.get(1).and_then(|m| weekday_from(m.as_str()));
        let day_text = c.get(2)?.as_str();
        let day: u32 = if day_text.eq_ignore_ascii_case("1er") {
            1
        } else {
            day_text.parse().ok()?
        };
        let month = month_from(c.get(3)?.as_str())?;
        let found = match c.get(4) {
            Some(y) => {
                let date = NaiveDate::from_ymd_opt(y.as_str().parse().ok()?, month, day)?;
                let warning = weekday.filter(|w| *w != date.weekday()).map(|w| {
                    format!(
                        "{} says {} but that date is a {}",
                        whole.as_str(),
                        fr_weekday(w),
                        fr_weekday(date.weekday())
                    )
                });
                FoundDate {
                    date,
                    start: whole.start(),
                    end: whole.end(),
                    year_inferred: false,
                    warning,
                }
            }
            None => {
                let date = infer_year(month, day, weekday, reference)?;
                FoundDate {
                    date,
                    start: whole.start(),
                    end: whole.end(),
                    year_inferred: true,
                    warning: None,
                }
            }
        };
        Some(found)
    })
}

/// The latest year not after `reference` whose `day month` exists, is not
/// after `reference`, and falls on `weekday` when one is given.
fn infer_year(
    month: u32,
    day: u32,
    weekday: Option<Weekday>,
    reference: NaiveDate,
) -> Option<NaiveDate> {
    // Weekdays repeat within 28 years (40 covers 29 February as well).
    (0..=40)
        .map(|back| reference.year() - back)
        .find_map(|year| {
            let date = NaiveDate::from_ymd_opt(year, month, day)?;
            let fits = date <= reference && weekday.is_none_or(|w| date.weekday() == w);
            fits.then_some(date)
        })
}

fn weekday_from(word: &str) -> Option<Weekday> {
    Some(match crate::text::fold(word).as_str() {
        "lundi" => Weekday::Mon,
        "mardi" => Weekday::Tue,
        "mercredi" => Weekday::Wed,
        "jeudi" => Weekday::Thu,
        "vendredi" => Weekday::Fri,
        "samedi" => Weekday::Sat,
        "dimanche" => Weekday::Sun,
        _ => return None,
    })
}

fn fr_weekday(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "lundi",
        Weekday::Tue => "mardi",
        Weekday::Wed => "mercredi",
        Weekday::Thu => "jeudi",
        Weekday::Fri => "vendredi",
        Weekday::Sat => "samedi",
        Weekday::Sun => "dimanche",
    }
}

fn month_from(word: &str) -> Option<u32> {
    let w = crate::text::fold(word);
    let prefix = w.get(..3.min(w.len()))?;
    Some(match prefix {
        "jan" => 1,
        "fev" => 2,
        "mar" => 3,
        "avr" => 4,
        "mai" => 5,
        "jui" if w.starts_with("juil") => 7,
        "jui" => 6,
        "aou" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    })
}

/// A date in French words: `3 février 2026`.
pub fn format_fr(date: NaiveDate) -> String {
    const MONTHS: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    let month = MONTHS.get(date.month0() as usize).copied().unwrap_or("");
    let day = if date.day() == 1 {
        "1er".to_string()
    } else {
        date.day().to_string()
    };
    format!("{day} {month} {}", date.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn french_dates_table() {
        let today = d(2026, 11, 21);
        for (text, want) in [
            ("Date de sortie: 29/08/2025", Some(d(2025, 8, 29))),
            ("Date de sortie: 14/02/2025", Some(d(2025, 2, 14))),
            ("le 3.4.25", Some(d(2025, 4, 3))),
            ("publié le 2024-11-19", Some(d(2024, 11, 19))),
            (
                "Episode enregistré le 28 juillet 2025",
                Some(d(2025, 7, 28)),
            ),
            (
                "Enregistré au Palace _icilundi le 6 février 2025",
                Some(d(2025, 2, 6)),
            ),
            (
                "Mardi 19 novembre 2024, SMART TECH reçoit",
                Some(d(2024, 11, 19)),
            ),
            (
                "Ce mardi 3 février, François Sorel a reçu",
                Some(d(2026, 2, 3)),
            ),
            ("le 1er août 2024", Some(d(2024, 8, 1))),
            ("le 1er aout 2024", Some(d(2024, 8, 1))),
            ("vendredi 13 dec. 2024", Some(d(2024, 12, 13))),
            ("le 25 DÉCEMBRE 2023", Some(d(2023, 12, 25))),
            ("le 2 fev 2022", Some(d(2022, 2, 2))),
            ("le 12 sept 2021", Some(d(2021, 9, 12))),
            ("le 4 juin 2021 et le 5 juillet 2021", Some(d(2021, 6, 4))),
            ("le 31/02/2024", None),
            ("pas de date ici, 12 pommes", None),
            ("10:15:30 - Intro", None),
        ] {
            assert_eq!(parse_date(text, today), want, "{text}");
        }
    }

    #[test]
    fn yearless_dates_take_the_latest_matching_year() {
        // 3 February is a Tuesday in 2026 and in 2015.
        assert_eq!(
            parse_date("Ce mardi 3 février", d(2026, 11, 21)),
            Some(d(2026, 2, 3))
        );
        assert_eq!(
            parse_date("Ce mardi 3 février", d(2026, 2, 2)),
            Some(d(2015, 2, 3))
        );
        // No weekday: the latest occurrence not after the reference.
        assert_eq!(
            parse_date("le 3 février", d(2026, 1, 10)),
            Some(d(2025, 2, 3))
        );
        let f = find_date("Ce mardi 3 février,", d(2026, 11, 21)).unwrap();
        assert!(f.year_inferred);
        assert_eq!(&"Ce mardi 3 février,"[f.start..f.end], "mardi 3 février");
    }

    #[test]
    fn contradicting_weekday_is_a_warning() {
        let f = find_date("lundi 19 novembre 2024", d(2026, 1, 1)).unwrap();
        assert_eq!(f.date, d(2024, 11, 19));
        assert!(f.warning.unwrap().contains("mardi"));
    }

    #[test]
    fn french_formatting() {
        assert_eq!(format_fr(d(2026, 2, 3)), "3 février 2026");
        assert_eq!(format_fr(d(2024, 8, 1)), "1er août 2024");
    }
}
